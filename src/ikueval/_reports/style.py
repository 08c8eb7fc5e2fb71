"""The inline style sheet and script of the HTML report.

No web font, image or script is loaded from anywhere: the page uses the
reader's sans-serif fonts, prints on A4 (portrait, tables repeat their
headings on every page, a row never breaks across pages), and narrows to one
column on a phone (wide tables scroll sideways). The script only opens the
trace a reader jumps to, and opens none when printing.
"""

from __future__ import annotations

from typing import Final

CSS: Final = """
:root{--ink:#1d2733;--muted:#5b6776;--line:#c9d1db;--soft:#f3f5f8;--navy:#14365c;
--navy2:#1f4e82;--gold:#b8892b;--met:#1d7a4c;--met-bg:#e2f2e8;--low:#b2551d;--low-bg:#fbeadc;
--na:#5f6b78;--na-bg:#e9edf1;--abs:#4f7fb8;--mean:#1d7a4c}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#e9edf2;color:var(--ink);
font:15px/1.5 "Liberation Sans","Helvetica Neue",Arial,"DejaVu Sans",sans-serif}
.page{max-width:1120px;margin:0 auto;background:#fff;padding:0 40px 40px;
box-shadow:0 0 0 1px #d5dbe3,0 8px 30px rgba(20,54,92,.08)}
header.cover{padding:34px 0 20px;border-bottom:3px solid var(--navy);position:relative}
header.cover:after{content:"";position:absolute;left:0;bottom:-7px;width:120px;height:3px;
background:var(--gold)}
.kind{margin:0;font-size:12px;letter-spacing:.22em;text-transform:uppercase;color:var(--gold);
font-weight:700}
h1{margin:6px 0 2px;font-size:30px;line-height:1.2;color:var(--navy)}
.subtitle{margin:0;font-size:18px;color:var(--navy2)}
.ruleset-title{margin:4px 0 0;color:var(--muted)}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:3px 16px;margin:18px 0 0;
font-size:13px}
dl.meta dt{color:var(--muted)}dl.meta dd{margin:0}
nav.toc{margin:22px 0 8px;padding:14px 18px;background:var(--soft);
border-left:4px solid var(--navy)}
nav.toc h2{margin:0 0 6px;font-size:13px;letter-spacing:.12em;text-transform:uppercase;
color:var(--muted);border:0;padding:0}
nav.toc ol{margin:0;padding-left:22px;columns:2;column-gap:32px;font-size:14px}
nav.toc a{color:var(--navy);text-decoration:none}
section{margin-top:34px}
h2{font-size:21px;color:var(--navy);margin:0 0 8px;padding-bottom:6px;
border-bottom:1px solid var(--line);
display:flex;gap:12px;align-items:baseline}
h2 .num{display:inline-block;min-width:30px;height:30px;line-height:30px;text-align:center;
border-radius:50%;background:var(--navy);color:#fff;font-size:15px}
h3{font-size:15px;color:var(--navy2);margin:18px 0 6px}
p.intro{margin:6px 0 12px;color:var(--muted);max-width:78ch}
figure{margin:14px 0 20px}
figcaption{font-weight:700;font-size:14px;margin:0 0 6px;color:var(--ink)}
figcaption .no{color:var(--gold);margin-right:6px}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:13px;font-variant-numeric:tabular-nums}
thead th{background:var(--navy);color:#fff;font-weight:700;text-align:center;
vertical-align:middle;padding:6px 7px;border:1px solid #0e2744;font-size:12px;line-height:1.3}
thead th code{display:block;font:10px/1.3 "DejaVu Sans Mono",monospace;color:#bcd0e6;margin-top:2px}
thead th.basis{min-width:6em}
td{padding:5px 7px;border:1px solid var(--line);vertical-align:top}
tbody tr:nth-child(even) td{background:#fafbfc}
td.r{text-align:right;white-space:nowrap}td.c{text-align:center;white-space:nowrap}
td.wide{min-width:15em}
td.no{color:var(--muted);text-align:right;width:1%}
td.id{white-space:nowrap;font-weight:700;color:var(--navy)}
tr.group th{background:#e6ecf3;color:var(--navy);text-align:left;padding:5px 8px;font-size:12.5px;
border:1px solid var(--line)}
tr.group .code{display:inline-block;margin-right:8px;padding:0 6px;border-radius:3px;
background:var(--navy);color:#fff;font-size:11px}
tr.total td{font-weight:700;border-top:2px solid var(--navy);background:#f1f4f8}
td a.fig{color:inherit;text-decoration:none;border-bottom:1px dotted #8aa0b8}
td a.fig:hover{background:#fff4d6;border-bottom-color:var(--gold)}
td.missing{color:var(--muted);text-align:center}
td.missing a.fig{border-bottom:0}
.notes{font-size:12.5px;color:var(--muted);margin:6px 0 0;padding-left:18px}
.status{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:700;
white-space:nowrap}
.status.met{background:var(--met-bg);color:var(--met)}
.status.not_met{background:var(--low-bg);color:var(--low)}
.status.not_assessable{background:var(--na-bg);color:var(--na)}
.chips{display:flex;flex-wrap:wrap;gap:6px;margin:8px 0 14px}
.chips a,a.st{text-decoration:none}
.chips .status{font-size:12px;padding:3px 10px}
.chart-box{border:1px solid var(--line);border-radius:4px;padding:10px 12px;background:#fff}
svg.chart{display:block;width:100%;height:auto;font-size:12px}
svg.chart text{fill:var(--ink)}
svg.chart .label{font-weight:700;fill:var(--navy)}
svg.chart .tick{fill:var(--muted);font-size:10px}
svg.chart .value{font-size:10.5px}
svg.chart .none{fill:var(--muted);font-style:italic}
svg.chart .legend{font-size:11px}
svg.chart .grid{stroke:#e3e8ee;stroke-width:1}
svg.chart .ref{stroke:var(--navy);stroke-width:1.5;stroke-dasharray:4 3}
svg.chart .axis{stroke:#9aa8b7;stroke-width:1}
svg.chart .bar.achievement{fill:var(--met)}
svg.chart .bar.achievement.below{fill:var(--low)}
svg.chart .bar.absorption{fill:var(--abs)}
svg.chart .bar.mean{fill:var(--mean)}
svg.chart .bar.mean.below{fill:#6aa784}
svg.chart .bar.progress{fill:#8fb0d3}
svg.chart .target{stroke:var(--navy);stroke-width:2.5}
svg.chart .cut{stroke:#fff;stroke-width:2.5}
svg.chart a:hover rect{opacity:.8}
.panels{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:10px}
.panel{border:1px solid var(--line);border-radius:4px;padding:6px 8px 2px}
.panel h4{margin:0;font-size:12px;color:var(--navy)}
.panel p{margin:0 0 2px;font-size:11px;color:var(--muted);line-height:1.3;height:2.6em;
overflow:hidden}
.legend-line{font-size:12px;color:var(--muted);margin:0 0 8px}
.legend-line i{display:inline-block;width:12px;height:10px;margin:0 4px 0 12px;vertical-align:-1px}
.legend-line i.r{background:#8fb0d3}
.legend-line i.t{height:3px;background:var(--navy);vertical-align:2px}
ul.warnings{padding-left:18px;font-size:13px}
ul.warnings li{margin:3px 0;word-break:break-word}
.traces details{border:1px solid var(--line);border-radius:4px;margin:6px 0;background:#fff}
.traces summary{cursor:pointer;padding:6px 10px;font-size:13px;color:var(--navy);font-weight:700}
.traces details[open] summary{border-bottom:1px solid var(--line);background:var(--soft)}
.traces details:target,.traces pre span:target{outline:2px solid var(--gold)}
.traces pre span{display:block}
.traces pre{margin:0;padding:10px 12px;
font:12px/1.45 "DejaVu Sans Mono","Liberation Mono",monospace;white-space:pre-wrap;
word-break:break-word;overflow-x:auto}
footer{margin-top:30px;padding-top:10px;border-top:1px solid var(--line);font-size:12px;
color:var(--muted)}
@media (max-width:720px){
body{font-size:14px;background:#fff}
.page{padding:0 14px 24px;box-shadow:none}
h1{font-size:23px}.subtitle{font-size:16px}
nav.toc ol{columns:1}
dl.meta{grid-template-columns:1fr}dl.meta dd{margin-bottom:6px}
table.wide-table{min-width:760px}
td.wide{min-width:9em}
table{font-size:12px}
td,thead th{padding:4px 5px}
}
@page{size:A4;margin:14mm 11mm 15mm}
@media print{
body{background:#fff;font-size:9.5pt}
.page{max-width:none;padding:0;box-shadow:none}
header.cover{padding-top:0}
h1{font-size:20pt}
h2{font-size:13pt;break-after:avoid}
section{margin-top:16pt}
table{font-size:7.6pt}
thead th{font-size:7.2pt;padding:3pt 3pt}
tr.group th{font-size:7.4pt;padding:2pt 3pt}
tr.group .code{font-size:6.5pt}
thead th.basis{min-width:0}
td{padding:2.5pt 3pt}
thead{display:table-header-group}
tr,.panel,.chart-box,figure.chart{break-inside:avoid}
figcaption{break-after:avoid}
td a.fig{border-bottom:0}
.scroll{overflow:visible}
nav.toc{break-after:page}
.traces details:not([open]){display:none}
.traces pre{font-size:7pt}
a{color:inherit}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""

#: Opens the trace a reader jumps to (a link to a closed ``<details>``).
SCRIPT: Final = """
(function(){
function show(){var id=decodeURIComponent(location.hash.slice(1));if(!id)return;
var el=document.getElementById(id);if(!el)return;
var box=el.tagName==="DETAILS"?el:el.closest("details");
if(box&&!box.open){box.open=true;el.scrollIntoView();}}
window.addEventListener("hashchange",show);show();
})();
"""
