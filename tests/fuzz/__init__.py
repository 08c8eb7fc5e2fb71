"""The fuzz harness of ikueval: see README.md in this folder."""
