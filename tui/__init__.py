"""Publieksdata werkboek: walk a cultural institution through the guide
"Stappenplan: aan de slag met publieksdata" and keep what it decides in one TOML workbook."""

import time as _time

#: Process-relative start moment, read by the app to log the time to its first frame.
STARTED = _time.perf_counter()

__version__ = "0.1.0"
