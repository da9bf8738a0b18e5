"""The Textual app: screen navigation, themes, help and quitting.

``create_app`` is the one way in, used by the command line and the tests. Screens do the
drawing and post messages; this module decides where they lead.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import cached_property
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from roleplay.core.library import Entry, find
from roleplay.settings import Settings, load_preferences, remember
from roleplay.tui.preferences import METER_HIDDEN, MeterToggled
from roleplay.tui.screens.dialogs import ConfirmDialog, HelpDialog, ProblemsDialog
from roleplay.tui.screens.library import LibraryScreen
from roleplay.tui.themes import DEFAULT_THEME, THEMES, keep_only_roleplay_themes

# The other screens are imported where they are first opened: start-up only needs the
# library, and importing every screen made the first frame noticeably later. Their
# messages are handled by name (on_<screen>_<message>) for the same reason. The same goes
# for the application layer (history, journal, resuming) and the scenario loader: they are
# made on first use, after the first frame (see ``store``, ``history``, ``journal``).
if TYPE_CHECKING:
    from roleplay.core.loader import LoadedScenario
    from roleplay.session import (
        History,
        HistorySink,
        Journal,
        PracticeOptions,
        PresentRequest,
        StoreThread,
    )
    from roleplay.tui.resuming import HistoryProblem, Resumer
    from roleplay.tui.screens.briefing import BriefingScreen
    from roleplay.tui.screens.debrief import DebriefScreen
    from roleplay.tui.screens.history import HistoryScreen
    from roleplay.tui.screens.practice import PracticeScreen
    from roleplay.tui.screens.present import PresentScreen


class RoleplayApp(App[None]):
    """Practise building trust with simulated clients."""

    # The library's styles are read with the app's: read when its screen is pushed, they
    # made Textual parse every stylesheet again and restyle the app before the first frame.
    CSS_PATH: ClassVar[list[str | PurePath]] = ["app.tcss", "screens/library.tcss"]
    TITLE = "roleplay"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "question_mark,f1",
            "help",
            "Keys",
            id="app.help",
            tooltip="Show every key for this screen",
        ),
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            id="app.quit",
            priority=True,
            tooltip="Quit roleplay (asks first in the middle of a scenario)",
        ),
    ]

    def __init__(
        self,
        settings: Settings,
        *,
        scenario: str | None = None,
        history: HistorySink | None = None,
        present: PresentRequest | None = None,
        resume: bool = False,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.present_request = present
        self.initial_scenario = scenario
        self.sink = history
        self.exit_notice: str | None = None
        """What to tell the learner once the app has quit (history that could not be
        saved), printed by the command line after the screen is restored."""
        self.resume_requested = resume
        self.offered_resume = present is not None and present.loaded is not None
        self.entries: list[Entry] = []
        self.checked_store = False
        self.painted = False
        """Set once the first frame has been written to the terminal."""
        self._after_paint: list[Callable[[], object]] = []
        # What the learner chose last time (a tiny file, read before the first frame).
        self.remembered = load_preferences(settings.data_dir)
        self.meter_shown = self.remembered.meter
        for theme in THEMES:
            self.register_theme(theme)
        self.theme_settled = False
        """Set once running: a theme picked from then on is remembered."""
        wanted = settings.theme or self.remembered.theme or DEFAULT_THEME
        self.unknown_theme = None if wanted in self.available_themes else wanted
        self.theme = DEFAULT_THEME if self.unknown_theme else wanted
        keep_only_roleplay_themes(self)
        if not settings.animation:
            self.animation_level = "none"

    # -- the application layer, made on first use ---------------------------------------
    @cached_property
    def present(self) -> PresentRequest:
        """What present mode was asked for (nothing, for the library)."""
        from roleplay.session import PresentRequest

        return self.present_request or PresentRequest()

    @cached_property
    def store(self) -> StoreThread:
        """History: one thread owns the database."""
        from roleplay.session import StoreThread

        return StoreThread(self.settings.data_dir)

    @cached_property
    def history(self) -> History:
        """The learner's saved attempts, read and changed on the store's thread."""
        from roleplay.session import History

        return History(self.store)

    @cached_property
    def journal(self) -> Journal:
        """The attempts of this run; it saves each event through the store's thread."""
        from roleplay.session import Journal, StoreHistory

        sink = self.sink if self.sink is not None else StoreHistory(self.store, self.saving_failed)
        return Journal(sink)

    @cached_property
    def preferences(self) -> PracticeOptions:
        """The reply mode and feedback timing the learner last chose."""
        from roleplay.session.replies import practice_options

        return practice_options(self.remembered)

    @cached_property
    def resumer(self) -> Resumer:
        """Asks about resuming unfinished attempts."""
        from roleplay.tui.resuming import Resumer

        return Resumer(
            self,
            history=self.history,
            journal=self.journal,
            entries=lambda: self.entries,
            open_entry=self.open_entry,
            animation=self.settings.animation,
            meter=lambda: self.meter_shown,
        )

    def saving_failed(self, problem: str) -> None:
        """Saving an attempt failed (called on the store thread): tell the learner."""
        from roleplay.tui.resuming import HistoryProblem

        self.post_message(
            HistoryProblem(
                f"History could not be saved: {problem}. This session is not being saved "
                "for now; keep practising: your steps are kept and saved, in order, as soon "
                "as saving works again."
            )
        )

    def get_default_screen(self) -> LibraryScreen:
        # The library is the bottom screen itself (its styles are read with the app's):
        # pushed over Textual's blank default screen, that screen was composed, styled and
        # laid out too, and laid out again on every resize beneath the library.
        return LibraryScreen(
            self.settings.scenario_dirs,
            cache_dir=self.settings.data_dir,
            history=lambda: self.history,
        )

    def on_mount(self) -> None:
        if not self.is_headless:
            self._quit_on_sigterm()
        request = self.present_request
        if request is not None and request.loaded is not None:
            self.push_screen(self.present_screen(request.loaded))
        self.theme_settled = True
        if self.unknown_theme:
            from roleplay.tui.text import clip

            names = ", ".join(theme.name for theme in THEMES)
            # The name comes from preferences.json, a file anything may have written.
            self.notify(
                f"There is no theme called '{clip(self.unknown_theme, 40)}'; using "
                f"{DEFAULT_THEME}. "
                f"Try one of: {names}.",
                severity="warning",
                markup=False,
            )

    def _quit_on_sigterm(self) -> None:
        """Quit as ctrl+q does when sent SIGTERM (``kill``, a shutdown, ``serve`` ending a
        session): by default the process died at once, leaving the terminal in the app's
        screen with mouse reporting on, and history still queued unwritten."""
        import asyncio
        import signal

        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            # Not on Windows's event loop, nor outside the main thread: the default stays.
            asyncio.get_running_loop().add_signal_handler(
                signal.SIGTERM, lambda: self.exit(return_code=128 + signal.SIGTERM)
            )

    def refresh_css(self, animate: bool = True) -> None:
        if not self.screen_stack:
            # Choosing the theme in __init__ asks for this before any screen exists: its
            # colours are all that is needed then (the style sheets are parsed when the
            # first widget is styled, with them). Textual would parse the app's style
            # sheets into a new sheet and then again into its own, and style the app twice.
            self.stylesheet.set_variables(self.get_css_variables())
            return
        super().refresh_css(animate)

    def on_ready(self) -> None:
        # Textual sends Ready after its first layout, which at start-up is inside its
        # batch of mounting: that refresh is not written, and callbacks "after refresh"
        # run before anything is on screen. Work deferred until after the first frame
        # waits for this, then for the next refresh (which is written).
        self.painted = True
        waiting, self._after_paint = self._after_paint, []
        for callback in waiting:
            self.call_after_refresh(callback)

    def after_first_frame(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` once the first frame has been written to the terminal (at once
        after a refresh if it already has)."""
        if self.painted:
            self.call_after_refresh(callback)
        else:
            self._after_paint.append(callback)

    # -- navigation --------------------------------------------------------------------
    def on_library_screen_loaded(self, message: LibraryScreen.Loaded) -> None:
        self.entries = message.entries
        if not self.checked_store:
            # Once the list is painted: opening the history imports the application
            # layer, which would hold up the list's first frame.
            self.checked_store = True
            self.after_first_frame(lambda: self.resumer.check_store())
        reference, self.initial_scenario = self.initial_scenario, None
        if reference is None:
            if not self.offered_resume:  # once, on launch
                self.offered_resume = True
                self.after_first_frame(lambda: self.resumer.offer())
            return
        self.offered_resume = True
        entry = find(reference, self.entries)
        if entry is None and Path(reference).is_file():
            from roleplay.core.loader import check_file

            loaded, diagnostics = check_file(reference)
            entry = Entry(path=Path(reference), loaded=loaded, diagnostics=diagnostics)
        if entry is None:
            self.notify(
                f"No scenario '{reference}' in the library.",
                title="Not found",
                severity="error",
                markup=False,
            )
            return
        if self.resume_requested and entry.ok:
            self.resumer.resume_named(entry)
        else:
            self.open_entry(entry)

    def on_library_screen_open(self, message: LibraryScreen.Open) -> None:
        self.open_entry(message.entry)

    def open_entry(self, entry: Entry) -> None:
        """The briefing for a playable entry; the list of problems for a broken one."""
        # A library of summaries loads the scenario now (a file broken since it was
        # listed gets its new errors, shown below).
        loaded = entry.load()
        if loaded is not None:
            from roleplay.tui.screens.briefing import BriefingScreen

            self.push_screen(BriefingScreen(loaded, self.preferences))
        else:
            self.push_screen(
                ProblemsDialog(
                    entry.path.name,
                    "This scenario file cannot be played until these problems are fixed. "
                    "Edit it, then press ctrl+r in the library to scan again.",
                    entry.errors,
                )
            )

    def on_library_screen_present(self, message: LibraryScreen.Present) -> None:
        entry = message.entry
        loaded = entry.load()
        if loaded is not None:
            self.push_screen(self.present_screen(loaded))
        else:
            self.open_entry(entry)

    def present_screen(self, loaded: LoadedScenario) -> PresentScreen:
        """Present mode for a scenario, with the timer and split settings asked for."""
        from roleplay.tui.screens.present import PresentScreen

        if self.present.room is not None and loaded is self.present.loaded:
            from roleplay.tui.screens.room_present import RoomPresentScreen

            return RoomPresentScreen(
                loaded, self.present.settings, room=self.present.room, clock=self.present.clock
            )
        return PresentScreen(loaded, self.present.settings, clock=self.present.clock)

    def on_briefing_screen_begin(self, message: BriefingScreen.Begin) -> None:
        options = message.options
        if options != self.preferences:
            remember(self.settings.data_dir, typed=options.write_first, feedback=options.feedback)
        self.preferences = options
        self.start(message.loaded, message.options)

    def start(self, loaded: LoadedScenario, options: PracticeOptions) -> None:
        """Replace the current screen (briefing or debrief) with a fresh practice."""
        from roleplay.tui.screens.practice import PracticeScreen

        attempt = self.journal.begin(loaded, options)
        screen = PracticeScreen(
            loaded,
            options,
            journal=self.journal,
            attempt=attempt,
            animation=self.settings.animation,
        )
        self.switch_screen(screen.set_class(not self.meter_shown, METER_HIDDEN))

    def on_meter_toggled(self, message: MeterToggled) -> None:
        self.meter_shown = message.shown
        remember(self.settings.data_dir, meter=message.shown)

    def watch_theme(self, theme: str) -> None:
        if self.theme_settled:  # picked by the learner (the command palette): remembered
            remember(self.settings.data_dir, theme=theme)

    def on_practice_screen_finished(self, message: PracticeScreen.Finished) -> None:
        from roleplay.tui.screens.debrief import DebriefScreen

        practice = message.screen
        engine = practice.engine
        self.journal.finish(practice.attempt, engine)
        self.switch_screen(
            DebriefScreen(
                practice.loaded,
                engine,
                practice.options,
                journal=self.journal,
                attempt=practice.attempt,
            )
        )

    def on_debrief_screen_replay(self, message: DebriefScreen.Replay) -> None:
        self.start(message.loaded, message.options)

    # -- history -----------------------------------------------------------------------
    def action_history(self) -> None:
        """Past attempts: debriefs, resume, compare, export, delete."""
        from roleplay.tui.screens.history import HistoryScreen

        self.push_screen(
            HistoryScreen(
                self.history, self.entries, self.journal, self.settings.data_dir / "exports"
            )
        )

    def on_history_screen_resume(self, message: HistoryScreen.Resume) -> None:
        self.resumer.resume_saved(message.attempt)

    def on_history_problem(self, message: HistoryProblem) -> None:
        self.resumer.report(message.text)

    def on_unmount(self) -> None:
        if "journal" in self.__dict__:  # made on first use
            from roleplay.session import StoreHistory

            sink = self.journal.sink
            if isinstance(sink, StoreHistory):
                # Saving failed and was never caught up: one more try, and what could not
                # be saved is said after the screen is gone (the reflections with it).
                self.exit_notice = sink.last_chance()
        if "store" in self.__dict__:  # made on first use
            self.store.close()  # writes still queued are finished first

    # -- app-wide actions --------------------------------------------------------------
    async def action_quit(self) -> None:
        """Quit; mid-scenario, ask first (ctrl+q again in the question quits at once)."""
        from roleplay.tui.screens.practice import PracticeScreen
        from roleplay.tui.screens.present import PresentScreen

        asks = (PracticeScreen, PresentScreen)
        practice = next((s for s in reversed(self.screen_stack) if isinstance(s, asks)), None)
        if practice is None or isinstance(self.screen, ConfirmDialog):
            self.exit()
        else:
            # The question says what ctrl+q does: it quits roleplay, not just this session.
            practice.confirm_leave(self.exit, question="Quit roleplay?")

    def action_help(self) -> None:
        """Show every key that works on the current screen."""
        screen = self.screen
        if isinstance(screen, (HelpDialog, ConfirmDialog, ProblemsDialog)):
            return
        keys: dict[str, list[str]] = {}
        for active in screen.active_bindings.values():
            binding = active.binding
            # Only this app's own bindings (they all have ids); widgets' keys are in
            # HELP_EXTRA where they matter, and the nine digits are one row there.
            if (
                not binding.id
                or not binding.description
                or binding.id.startswith("practice.choose")
            ):
                continue
            what = binding.tooltip or binding.description
            shown = keys.setdefault(what, [])
            display = self.get_key_display(binding)
            if display not in shown:  # two keys with one display ('+' and '=' show as +)
                shown.append(display)
        rows = [(" ".join(displays), description) for description, displays in keys.items()]
        rows.extend(getattr(screen, "HELP_EXTRA", []))
        rows.append(("^p", "Command palette: change the theme, show keys, quit"))
        name = getattr(screen, "HELP_TITLE", None)
        title = f"Keys · {name or type(screen).__name__.removesuffix('Screen').lower()}"
        self.push_screen(HelpDialog(title, rows))


def create_app(
    settings: Settings,
    *,
    scenario: str | None = None,
    history: HistorySink | None = None,
    present: PresentRequest | None = None,
    resume: bool = False,
) -> RoleplayApp:
    """The app, ready to run: opens the library, or a scenario's briefing if one is named,
    or present mode for ``present.loaded``. With ``resume``, a named scenario's newest
    unfinished attempt is resumed instead of its briefing. History is kept in a store at
    ``settings.data_dir`` unless another ``history`` sink is given."""
    return RoleplayApp(settings, scenario=scenario, history=history, present=present, resume=resume)
