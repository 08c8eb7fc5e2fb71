"""Where an event stands in an application's verification workflow.

A module of its own so that the command line can list the states without
loading the store's values.
"""

from __future__ import annotations

from enum import Enum
from typing import Final


class VerificationState(Enum):
    """Where an event stands in an application's verification workflow.

    An event recorded without a state always counts (the application uses no
    workflow). An event with a state counts only when its state is one of the
    states an evaluation counts: by default :data:`DEFAULT_COUNTED`, that is
    ``verified`` only.
    """

    DRAFT = "draft"
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    REJECTED = "rejected"


#: The states whose events count towards figures unless the caller says otherwise.
DEFAULT_COUNTED: Final = frozenset({VerificationState.VERIFIED})
