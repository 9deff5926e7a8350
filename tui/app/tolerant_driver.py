"""Terminal input that never crashes on bytes that are not UTF-8.

Textual's Linux driver decodes stdin as strict UTF-8: a paste of other bytes, or typing on a
terminal set to Windows-1252, raises in its input thread and ends the app with the unsaved text.
This driver runs Textual's own input loop unchanged, with one name swapped: its incremental
decoder reads bytes that are not UTF-8 as Windows-1252 (so 'é' typed there arrives as 'é', and
anything else as a character rather than a crash).
"""

from __future__ import annotations

import codecs
import functools
import types

from textual.drivers import linux_driver
from textual.drivers.linux_driver import LinuxDriver

ERRORS = "publieksdata-cp1252"


def _as_cp1252(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("cp1252", "replace"), exc.end


codecs.register_error(ERRORS, _as_cp1252)


def tolerant_incremental_decoder(encoding: str):
    """Like codecs.getincrementaldecoder, for decoders that fall back instead of raising."""
    return functools.partial(codecs.getincrementaldecoder(encoding), errors=ERRORS)


def _tolerant_input_loop():
    """LinuxDriver.run_input_thread with ``getincrementaldecoder`` bound to the tolerant one, or
    None if Textual's loop no longer looks the decoder up by that name (then it runs as it is)."""
    original = LinuxDriver.run_input_thread
    code = original.__code__
    if "getincrementaldecoder" not in code.co_names or code.co_freevars:
        return None
    names = dict(vars(linux_driver), getincrementaldecoder=tolerant_incremental_decoder)
    return types.FunctionType(code, names, original.__name__, original.__defaults__)


_LOOP = _tolerant_input_loop()


class TolerantLinuxDriver(LinuxDriver):
    def run_input_thread(self) -> None:
        if _LOOP is None:
            super().run_input_thread()
        else:
            _LOOP(self)
