"""The command line import draws its progress on a terminal, and only there: when stderr is
read by a program, every line on it must be a "row N, column C: message" problem line."""

import io
from importlib import import_module

from django.core.management.base import OutputWrapper

ProgressBar = import_module("safeguarding.core.management.commands.import").ProgressBar


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_on_a_terminal_the_bar_fills_as_rows_are_saved():
    out = Terminal()
    bar = ProgressBar(OutputWrapper(out))
    bar.update("checked", 5000)
    bar.update("writing", 20)
    bar.update("written", 10)
    bar.update("written", 20)
    bar.finish()
    frames = out.getvalue().split("\r")
    assert frames[1] == "Checking 5,000 rows"
    assert frames[3] == "Saving   [" + "#" * 15 + "-" * 15 + "] 10 of 20 rows"
    assert frames[4].startswith("Saving   [" + "#" * 30 + "] 20 of 20 rows")
    assert "\x1b[" not in out.getvalue()  # no colour codes around the bar


def test_when_a_program_reads_stderr_nothing_is_drawn():
    out = io.StringIO()
    bar = ProgressBar(OutputWrapper(out))
    bar.update("checked", 5000)
    bar.update("writing", 20)
    bar.finish()
    assert out.getvalue() == ""
