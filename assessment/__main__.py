"""``python -m assessment``: returns normally, so profilers and debuggers see the run end
(only the installed ``assessment`` command skips interpreter teardown; see ``cli.run``)."""

from .cli import main

raise SystemExit(main())
