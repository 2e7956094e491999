"""mypy must fail here: the check in test_typing can fail."""
from typing import assert_type

import ccmcheck

assert_type(ccmcheck.evaluate("facts/2017"), ccmcheck.Audit)
