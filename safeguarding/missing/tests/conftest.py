from safeguarding.missing.tests.fixtures import *  # noqa: F403
