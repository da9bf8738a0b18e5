"""The classroom room server: students vote from their own devices while the facilitator
runs present mode, and a projector shows only what the room may see.

It runs in the same asyncio loop as the present screen (no thread, no process per
student) and reads the group session (``roleplay.core.facilitation``) directly, so the
phase, the options and the counts are never copied. No Textual here.

- ``options``: what ``present --room`` asked for (cheap to import at start-up).
- ``limits``: the per-device request rate and the join code's lockout.
- ``state``: the room's own live state (devices, free-text answers) and the views sent
  to students and to the projector.
- ``pages``: the student and projector pages (plain HTML, one small inline script).
- ``server``: the aiohttp server, started and stopped as coroutines.
- ``qr``: the join link as a QR code in half-block characters, or as SVG.
"""

from __future__ import annotations

from roleplay.room.options import RoomOptions

__all__ = ["RoomOptions"]
