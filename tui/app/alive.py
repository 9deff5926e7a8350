"""Work that runs later checks first that what it touches is still there.

A deferred form mount, a worker's callback (``call_from_thread``), a timer or a
``call_after_refresh`` can run after the user quit, closed the screen or the pane was rebuilt.
Its widgets are then gone, and touching them raises. ``alive`` says whether a widget (or the app)
can still be used; ``when_alive`` skips a method of a widget, screen or app that is no longer.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any, Callable, TypeVar

from textual._context import NoActiveAppError
from textual.app import App

F = TypeVar("F", bound=Callable[..., Any])


def alive(node: Any) -> bool:
    """Whether ``node`` (a widget, a screen or the app) still runs and the app is not quitting."""
    if isinstance(node, App):
        return node.is_running and not node._exit
    try:
        app = node.app
    except NoActiveAppError:
        return False
    # is_attached is False once the app is exiting or the node left the DOM; is_running is False
    # once its message pump closed (Widget.is_mounted never goes back to False: not usable here).
    return app.is_running and node.is_attached and node.is_running


def when_alive(method: F) -> F:
    """Decorate a method that runs later: it does nothing when its object is no longer alive."""
    if inspect.iscoroutinefunction(method):

        @functools.wraps(method)
        async def guarded_async(self, *args: Any, **kwargs: Any) -> Any:
            if alive(self):
                return await method(self, *args, **kwargs)
            return None

        return guarded_async  # type: ignore[return-value]

    @functools.wraps(method)
    def guarded(self, *args: Any, **kwargs: Any) -> Any:
        if alive(self):
            return method(self, *args, **kwargs)
        return None

    return guarded  # type: ignore[return-value]


class DismissOnce:
    """Mixin for screens that close with ``dismiss``: only the screen on top closes, and only once.

    Keys arrive in bursts (a fast typist, a paste, a slow connection): a second Enter can reach a
    dialog that already closed. Textual's ``dismiss`` pops whatever screen is on top, so that
    second Enter would close the screen below it (a form, with its unsaved input) or the last
    screen of all, which ends the app with an error.
    """

    def dismiss(self, result: Any = None):  # type: ignore[override]
        try:
            on_top = self.app.screen is self  # type: ignore[attr-defined]
        except Exception:  # no screen stack any more: the app is quitting
            return None
        if not on_top:
            return None
        return super().dismiss(result)  # type: ignore[misc]
