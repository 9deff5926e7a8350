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
