"""What the command-line tests share: the command as a subprocess, and the one-line error check."""

import sys

TEXTMINE = [sys.executable, "-c", "import sys; from textmine.cli import main; sys.exit(main())"]


def one_line_error(capsys, *expected) -> str:
    """The captured stderr is one line, no traceback, holding every expected piece."""
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in err[0], err
    for text in expected:
        assert text in err[0], err[0]
    return err[0]
