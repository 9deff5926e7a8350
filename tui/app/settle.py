"""Wait until the keys already on their way have done their work.

Keys that arrive together (a fast typist, a paste, a slow SSH link) are handed out at once: a
letter goes into the field's queue, and Ctrl+Q or Ctrl+S, bound at the app, is acted on before
the field has even seen that letter. Quitting then found nothing unsaved and the letter was lost;
saving said there was nothing new. ``settled`` waits (briefly, bounded) until every widget of the
screen and the app have handled what was queued, and what that posted in turn.
"""

from __future__ import annotations

import asyncio

from textual.app import App


async def settled(app: App, rounds: int = 20, timeout: float = 2.0) -> None:
    for _ in range(rounds):
        pumps = [p for p in (app, *app.screen.walk_children(with_self=True)) if p.is_running]
        done = asyncio.Event()
        pending = len(pumps)

        def one_done() -> None:
            nonlocal pending
            pending -= 1
            if pending == 0:
                done.set()

        for pump in pumps:
            if not pump.call_later(one_done):
                one_done()
        if pending:
            try:
                await asyncio.wait_for(done.wait(), timeout)
            except asyncio.TimeoutError:
                return
        if not any(p.message_queue_size for p in pumps if p.is_running):
            return
