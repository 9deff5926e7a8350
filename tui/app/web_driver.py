"""The driver of one browser session under `publieksdata serve`: the app ends with its connection.

textual-serve runs every browser tab as its own app process with Textual's web driver, talking
over the process's stdin and stdout. That driver keeps the app running when stdin closes (the
server went away) and when stdout is a broken pipe, does not listen to SIGHUP, and quits without
saving on Ctrl+C (SIGINT) and SIGTERM. This one ends the app in all of those cases the normal way:
the app's `end_session` keeps what was typed since the last save, and the workbook's in-use marker
is removed on the way out. If that does not finish within a few seconds (a write that blocks on
a pipe nobody reads), the process ends anyway.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading

from textual.drivers.web_driver import WebDriver

GRACE_SECONDS = 10.0
KEEP_SECONDS = 5.0  # for the copy of what could not be saved, after the grace period


class ServeDriver(WebDriver):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._write = self._write_or_end
        self._loop: asyncio.AbstractEventLoop | None = None
        self._connection_gone = False
        self._ending = threading.Event()

    def start_application_mode(self) -> None:
        self._loop = asyncio.get_running_loop()
        super().start_application_mode()
        # plain signal handlers (not the event loop's): they also run while the loop is stuck
        # SIGINT too: Ctrl+C in the terminal of `publieksdata serve` reaches every app it started
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, lambda *_: self.end_session())

    def _write_or_end(self, data: bytes) -> None:
        if self._connection_gone:
            return
        try:
            os.write(self.fileno, data)
        except OSError:  # the server is gone: nobody reads what the app shows
            self._connection_gone = True
            self.end_session()

    def on_meta(self, packet_type: str, payload: dict[str, object]) -> None:
        if packet_type == "quit":  # the server: the browser has gone
            self.end_session()
        else:
            super().on_meta(packet_type, payload)

    def run_input_thread(self) -> None:
        super().run_input_thread()
        if not self.exit_event.is_set():  # stdin ended: the connection is gone
            self.end_session()

    def end_session(self) -> None:
        """Ask the app to exit (once); end the process if that has not happened in a few seconds."""
        if self._ending.is_set() or self._loop is None:
            return
        self._ending.set()
        app, loop = self._app, self._loop

        def finish() -> None:  # on the app's own thread, after the input that came before
            hook = getattr(app, "end_session", None)
            if callable(hook):
                hook()  # the app keeps what was typed, then exits
            else:
                app.exit()

        try:
            loop.call_soon_threadsafe(app.call_later, finish)
        except RuntimeError:  # the loop has already closed: the app is on its way out
            pass
        threading.Thread(target=self._end_process_later, args=(app,), name="publieksdata-end", daemon=True).start()

    @staticmethod
    def _end_process_later(app, grace: float = GRACE_SECONDS) -> None:
        """After the grace period the process ends; what the app could not save by then (it is
        stuck, or slower than that on a loaded machine) first goes to a copy beside the workbook,
        given a few seconds of its own."""
        threading.Event().wait(grace)
        keep = getattr(app, "keep_a_copy", None)
        if callable(keep):
            saver = threading.Thread(target=keep, name="publieksdata-keep", daemon=True)
            saver.start()
            saver.join(KEEP_SECONDS)
        os._exit(1)
