"""Present mode: one scenario run with a room, on a projector or in a browser window.

The whole room sees this screen, so nothing is shown before the facilitator chooses to
show it: trust, ratings, feedback and facilitator notes stay hidden until the reveal (or,
for notes, until toggled, with a banner while they are on screen). The flow is a prebrief,
then at each decision: read, think (a timer), vote (counts typed by the facilitator and
hidden until locked), a revote when the room is split, the reveal, optionally every
option side by side, the discussion questions, and on to the next moment with the room's
choice or the facilitator's. At the end: the group's path, every vote, the debrief, and a
Markdown summary to save.

All the rules live in ``roleplay.core.facilitation``; this screen draws its state.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from roleplay.core.facilitation import Clock, Facilitation, FacilitationSettings, Phase, TimerState
from roleplay.core.facilitation.flow import PresentFlow
from roleplay.core.facilitation.record import reopened_votes, restore_session, votes_csv
from roleplay.core.loader import LoadedScenario
from roleplay.core.safetext import json_text
from roleplay.session.present import GroupFiles, SavedFiles, SavedSession
from roleplay.tui.screens.dialogs import ConfirmDialog
from roleplay.tui.screens.present_dialogs import CountsDialog, SaveDialog
from roleplay.tui.screens.present_keys import PRESENT_BINDINGS
from roleplay.tui.text import clip, plain
from roleplay.tui.widgets.countdown import CountdownPanel
from roleplay.tui.widgets.footer import KeyFooter
from roleplay.tui.widgets.group_ending import ending_page
from roleplay.tui.widgets.group_moment import (
    LetteredChoice,
    locked_page,
    moment_page,
    notes_box,
    revealed_page,
)
from roleplay.tui.widgets.group_prebrief import prebrief_page
from roleplay.tui.widgets.trust_meter import TrustMeter

PRESENT_THEME = "roleplay-high-contrast"


def folder_text(folder: Path) -> str:
    """A folder as a person reads it: the home folder as ~."""
    try:
        return str(Path("~") / folder.relative_to(Path.home()))
    except ValueError:
        return str(folder)


class PresentScreen(Screen[None]):
    """Run one scenario with a group."""

    CSS_PATH = "present.tcss"
    AUTO_FOCUS = "#present-body"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (76, "-medium"), (110, "-wide")]  # noqa: RUF012
    # Tall screens get three-row heading bands.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = PRESENT_BINDINGS

    def __init__(
        self,
        loaded: LoadedScenario,
        settings: FacilitationSettings | None = None,
        *,
        clock: Clock = time.monotonic,
    ) -> None:
        super().__init__()
        self.loaded = loaded
        self.flow = PresentFlow(Facilitation(loaded.scenario, settings, clock=clock))
        self.clock = clock
        self.files: GroupFiles | None = None
        """The session's record, saved after every step (None without a data folder)."""
        self._theme_before: str | None = None
        self._timer_seen: tuple[TimerState, str] | None = None
        self._saved_votes: tuple[int, ...] | None = None

    @property
    def session(self) -> Facilitation:
        """The group session this screen runs."""
        return self.flow.session

    HELP_EXTRA: ClassVar[list[tuple[str, str]]] = [
        ("↑ ↓ PgUp PgDn", "Scroll the page"),
        ("Tab", "Move between the fields of a dialog"),
    ]

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="present-top"):
            yield Static(id="present-title")
            # The timer in the top bar takes no row from the page: it never hides a word.
            yield CountdownPanel(id="countdown")
            yield Static(id="present-phase")
            yield TrustMeter(id="present-meter")
        yield Static(Content("⚠ FACILITATOR NOTES ARE ON SCREEN · n hides them"), id="notes-banner")
        yield VerticalScroll(id="present-body")
        # While voting, a bold sign names the options below the fold (they were once only
        # hinted at by a faint scrollbar).
        yield Static(id="below-sign")
        yield Static(id="present-status")
        # No palette entry: at 60 columns the footer needs every cell (^p still works).
        yield KeyFooter(show_command_palette=False, compact=True)

    async def on_mount(self) -> None:
        settings = getattr(self.app, "settings", None)
        if getattr(settings, "theme", None) is None and self.app.theme != PRESENT_THEME:
            # Projectors wash colours out: present mode defaults to high contrast, unless
            # the facilitator chose a theme on the command line.
            self._theme_before = self.app.theme
            self.app.theme = PRESENT_THEME
        self.set_interval(0.25, self.tick)
        body = self.query_one("#present-body", VerticalScroll)
        self.watch(body, "scroll_y", self.scrolled, init=False)
        self.open_files()
        await self.refresh_view()

    def open_files(self) -> None:
        """Resume the session asked for on the command line (``--resume``), and keep its
        record in the data folder's sessions folder after every step."""
        data_dir = getattr(getattr(self.app, "settings", None), "data_dir", None)
        if not isinstance(data_dir, Path):
            return
        request = getattr(self.app, "present", None)
        resume = getattr(request, "resume", None)
        if isinstance(resume, SavedSession) and getattr(request, "loaded", None) is self.loaded:
            # The command line checked that the record fits (``roleplay.cli_present``).
            session = restore_session(self.loaded.scenario, resume.record, clock=self.clock)
            self.flow = PresentFlow(session)
            started = datetime.fromisoformat(str(resume.record["started"]))
            self.files = GroupFiles(session, data_dir, path=resume.path, started=started)
            dropped = reopened_votes(resume.record)
            again = (
                f" The vote under way is open again without its {dropped} vote(s) from "
                "devices: ask those students to vote again."
                if dropped
                else ""
            )
            self.notify(
                f"Resumed the session saved {resume.saved[:16].replace('T', ' ')}: "
                f"{resume.moments} moment(s) so far.{again}",
                markup=False,
                timeout=10 if dropped else 5,
            )
            return
        self.files = GroupFiles(self.session, data_dir)

    def autosave(self) -> None:
        """Save the record now (once the first moment has begun); say so once if it fails."""
        files = self.files
        if files is None or not self.session.decisions:
            return
        self._saved_votes = self.vote_signature()
        had_problem = files.problem is not None
        if not files.autosave() and not had_problem:
            self.notify(
                f"This session could not be saved to {files.path.parent}: {files.problem}. "
                "It goes on; s saves the summary elsewhere.",
                severity="error",
                timeout=10,
                markup=False,
            )

    def vote_signature(self) -> tuple[int, ...]:
        """The counts of the round under way (to notice votes that arrive on their own)."""
        decision = self.session.current
        return (len(self.session.decisions), *(decision.round.counts.values() if decision else ()))

    def on_unmount(self) -> None:
        if self._theme_before is not None:
            self.app.theme = self._theme_before

    def on_resize(self, event: events.Resize) -> None:
        self.query_one(TrustMeter).bar_width = 10 if event.size.width < 80 else 16
        self.call_after_refresh(self.show_below)

    def scrolled(self) -> None:
        # After the refresh: the options' places on screen move only when it is drawn.
        self.call_after_refresh(self.show_below)

    def show_below(self) -> None:
        """While voting, name the options that are below the visible part of the page."""
        sign = self.query_one("#below-sign", Static)
        hidden: list[str] = []
        if self.session.phase is Phase.VOTING:
            body = self.query_one("#present-body", VerticalScroll)
            bottom = body.scrollable_content_region.bottom
            hidden = [c.letter for c in body.query(LetteredChoice) if c.region.bottom > bottom]
        if sign.display != bool(hidden):
            # Showing or hiding the sign moves the page's bottom edge by a row: look again.
            self.call_after_refresh(self.show_below)
        sign.display = bool(hidden)
        if hidden:
            letters = hidden[0] if len(hidden) == 1 else f"{hidden[0]}–{hidden[-1]}"
            sign.update(Content(f"▼ {letters} below · ↓ PgDn"))

    # -- drawing --------------------------------------------------------------------------
    async def refresh_view(self) -> None:
        """Redraw everything for the session's phase."""
        session = self.session
        title = clip(self.loaded.scenario.title, 50)
        if session.current is not None:
            # The moment first: on a narrow projector it is the title that gets shortened.
            title = f"Moment {len(session.decisions)} · {title}"
        self.query_one("#present-title", Static).update(plain(title))
        self.query_one("#present-phase", Static).update(Content(self.flow.phase_label()))
        self.show_meter()
        self.query_one("#notes-banner").display = self.flow.notes_on
        body = self.query_one("#present-body", VerticalScroll)
        await body.remove_children()
        widgets: list[Widget] = []
        if self.flow.notes_on:
            widgets.append(notes_box(session))
        widgets.extend(self.body_widgets())
        await body.mount_all(widgets)
        body.scroll_home(animate=False)
        self.call_after_refresh(self.show_below)
        self.update_status()
        self.tick()
        self.refresh_bindings()
        body.focus()
        self.autosave()

    def show_meter(self) -> None:
        """The trust meter: hidden until a reveal, then showing what was revealed."""
        meter = self.query_one(TrustMeter)
        session = self.session
        decision = session.current
        if session.phase is Phase.REVEALED and decision is not None and decision.followed:
            turn = session.preview(decision.followed)
            band_name = session.scenario.trust.band_for(turn.trust_after).display
            meter.show(turn.trust_after, band_name, turn.delta)
            meter.display = True
        elif session.phase is Phase.ENDED:
            meter.show(session.engine.trust, session.engine.band.display)
            meter.display = True
        else:
            meter.display = False

    def body_widgets(self) -> list[Widget]:
        """The page for the session's phase."""
        phase = self.session.phase
        if phase is Phase.PREBRIEF:
            return prebrief_page(self.loaded.scenario)
        if phase is Phase.ENDED:
            return ending_page(self.session)
        decision = self.session.current
        assert decision is not None
        if phase is Phase.VOTING:
            return moment_page(self.session, decision)
        if phase is Phase.LOCKED:
            return locked_page(self.flow, decision)
        return revealed_page(self.flow, decision)

    def update_status(self) -> None:
        """The line above the footer: where the session stands and what to press next."""
        self.query_one("#present-status", Static).update(Content(self.flow.status()))

    def tick(self) -> None:
        """Redraw the timer (on an interval; tests call it after moving a fake clock)."""
        timer = self.session.timer
        panel = self.query_one(CountdownPanel)
        visible = self.flow.timer_visible
        panel.display = visible
        if visible:
            panel.show(timer)
        if self._saved_votes is not None and self.vote_signature() != self._saved_votes:
            # Votes from students' devices (a room) arrive without a key press: save them too.
            self.autosave()
        state = (timer.state, timer.label)
        if state != self._timer_seen:
            self._timer_seen = state
            self.update_status()

    # -- actions --------------------------------------------------------------------------
    async def action_begin(self) -> None:
        self.flow.begin()
        await self.refresh_view()

    def action_vote(self, key: str) -> None:
        if self.flow.vote(key):
            self.changed()
        elif self.flow.refusal:
            self.notify(self.flow.refusal, severity="warning", markup=False)

    def action_unvote(self, key: str) -> None:
        if self.flow.vote(key, -1):
            self.changed()

    def changed(self) -> None:
        """A count changed: the status line, and the saved record."""
        self.update_status()
        self.autosave()

    def action_counts(self) -> None:
        decision = self.session.current
        if decision is None or self.session.phase is not Phase.VOTING:
            return

        def typed(counts: dict[str, int] | None) -> None:
            if counts is not None and self.flow.set_counts(counts):
                self.changed()

        session = self.session
        dialog = CountsDialog(
            decision.offered,
            decision.round.hand_counts,
            check=session.count_problem,
            class_size=session.settings.class_size,
        )
        self.app.push_screen(dialog, typed)

    async def action_lock(self) -> None:
        self.flow.lock()
        await self.refresh_view()

    async def action_unlock(self) -> None:
        self.flow.unlock()
        await self.refresh_view()

    async def action_revote(self) -> None:
        self.flow.revote()
        await self.refresh_view()

    async def action_pick(self, key: str) -> None:
        if self.flow.pick(key):
            await self.refresh_view()

    async def action_reveal(self) -> None:
        if not self.flow.reveal():
            self.notify(
                "No option has the most votes: press a letter to pick the one to reveal.",
                markup=False,
            )
            return
        await self.refresh_view()

    async def action_what_if(self) -> None:
        self.flow.toggle_what_if()
        await self.refresh_view()
        if self.flow.show_all:
            grid = self.query_one("#what-if-band")
            body = self.query_one("#present-body", VerticalScroll)
            # After the next refresh: the grid has no place on the page until it is laid out.
            self.call_after_refresh(body.scroll_to_widget, grid, top=True, animate=False)

    async def action_details(self) -> None:
        self.flow.toggle_details()
        await self.refresh_view()
        table = self.query_one("#what-if-table")
        body = self.query_one("#present-body", VerticalScroll)
        self.call_after_refresh(body.scroll_to_widget, table, top=True, animate=False)

    async def action_proceed(self) -> None:
        self.flow.proceed()
        await self.refresh_view()

    def action_timer(self) -> None:
        self.session.timer.toggle()
        self.tick()

    def action_add_time(self) -> None:
        self.session.timer.add(self.session.settings.add_seconds)
        self.tick()

    def action_skip_timer(self) -> None:
        self.session.timer.skip()
        self.tick()

    async def action_notes(self) -> None:
        self.flow.toggle_notes()
        await self.refresh_view()

    def action_save(self) -> None:
        session = self.session
        if self.app.is_web:
            # In a browser (``roleplay serve``) the files go to the browser as downloads:
            # whoever is connected must not be able to write files on the serving machine.
            name = session.default_summary_name()
            self.app.deliver_text(io.StringIO(session.summary_markdown()), save_filename=name)
            if self.files is not None:
                record = self.files.record()
                stem = name.removesuffix(".md")
                self.app.deliver_text(io.StringIO(votes_csv(record)), save_filename=f"{stem}.csv")
                self.app.deliver_text(
                    io.StringIO(json_text(record) + "\n"), save_filename=f"{stem}.json"
                )
            self.flow.saved()
            self.notify(
                f"The summary downloads in your browser as {name}, with the votes as .csv "
                "and .json",
                markup=False,
            )
            return
        files = self.files
        written: list[SavedFiles] = []

        def save(target: Path) -> Path:
            if files is None:
                return session.save_summary(target)
            written.append(files.save_summary(target))
            return written[-1].summary

        def saved(path: Path | None) -> None:
            if path is not None:
                self.flow.saved()
                extra = "\nwith the votes beside it as .csv and .json" if written else ""
                self.notify(
                    f"{path.name}{extra}\nin {folder_text(path.parent)}",
                    title="Summary saved",
                    timeout=10,
                    markup=False,
                )

        name = session.default_summary_name()
        default = files.default_summary() if files is not None else Path.cwd() / name
        self.app.push_screen(SaveDialog(default, save), saved)

    def action_save_now(self) -> None:
        self.action_save()

    def action_leave(self) -> None:
        self.confirm_leave(lambda: self.dismiss(None))

    def action_library(self) -> None:
        self.action_leave()

    def confirm_leave(
        self, then: Callable[[], object], *, question: str = "Leave this group session?"
    ) -> None:
        """Leave (running ``then``), asking first if there are votes not saved; ``question``
        says what leaving does (ctrl+q quits roleplay)."""
        if not self.flow.asks_before_leaving:
            then()
            return

        def answered(leave: bool | None) -> None:
            if leave:
                then()

        self.app.push_screen(
            ConfirmDialog(
                question,
                "The votes and the path so far have not been saved. Stay and press s to save "
                "the summary, or leave without it.",
            ),
            answered,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.flow.allows(action, parameters)
