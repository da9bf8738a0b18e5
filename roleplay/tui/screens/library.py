"""The library: every bundled and user scenario, searchable and filterable by skill.

Files that fail validation are listed as broken with their first error; opening one shows
every problem. The scan runs in a worker thread and keeps only each scenario's summary
(``core.library.summarise``, cached in the data folder): a scenario is loaded in full when
it is opened. Which scenarios the learner has done, and their best, come from one query.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from roleplay.core.library import Entry, summarise, summarise_cached
from roleplay.core.skills import skill_name, skills
from roleplay.core.wording import shortened
from roleplay.tui.screens.dialogs import describe
from roleplay.tui.text import clip, plain
from roleplay.tui.widgets.footer import KeyFooter
from roleplay.tui.widgets.scan_progress import ScanCount, ScanProgress

if TYPE_CHECKING:
    from roleplay.session import History, ScenarioStats

LINE = 50
"""Characters a list line may take without wrapping (the list is about 50 columns wide
at 100x30 and at 60x20)."""


def matches(entry: Entry, query: str, skill: str | None) -> bool:
    """Whether an entry passes the search text and the skill filter."""
    words = query.lower().split()
    about = entry.about
    if about is None:
        # Broken files have no skills; they show unless a filter clearly excludes them.
        haystack = f"{entry.path.name} broken"
        return skill is None and all(word in haystack.lower() for word in words)
    if skill is not None and skill not in about.skills:
        return False
    haystack = " ".join(
        [
            about.id,
            about.title,
            about.summary,
            about.client,
            about.difficulty,
            entry.path.name,
            *(skill_name(s) for s in about.skills),
            *about.skills,
        ]
    ).lower()
    return all(word in haystack for word in words)


def skills_line(names: Sequence[str], width: int) -> str:
    """The skills in one line of ``width``: all of them if they fit, else how many first
    ("12 skills: Active listening, Cultural…"), so a count never stands alone."""
    every = ", ".join(names)
    if len(names) <= 2 and len(every) <= width:
        return every
    return shortened(f"{len(names)} skills: {every}", width)


def progress_text(stats: ScenarioStats | None) -> str | None:
    """What the learner has done at a scenario, in a few words; None if nothing yet."""
    if stats is None:
        return None
    done = stats.finished
    if not done:
        started = stats.attempts
        return f"… Started {'once' if started == 1 else f'{started} times'}, not finished yet"
    trust = stats.best_score
    if done == 1:
        return "✓ Done once" + (f" · trust {trust}" if trust is not None else "")
    return f"✓ Done {done} times" + (f" · best trust {trust}" if trust is not None else "")


def entry_prompt(entry: Entry, stats: ScenarioStats | None = None) -> Content:
    """How one entry reads in the list: three short lines, and a fourth once the learner
    has practised it.

    Only bold, italic and dim here, no colours: a coloured span keeps its colour on the
    highlighted row, which is unreadable on some themes' cursor (yellow in high contrast).
    """
    about = entry.about
    if about is None:
        first = describe(entry.errors[0]) if entry.errors else "cannot be loaded"
        return Content("\n").join(
            [
                Content.assemble(("✗ Broken", "bold"), f"  {clip(entry.path.name)}"),
                plain(clip(first, 160), "dim"),
            ]
        )
    facts = f"{about.client} ({about.pronouns}) · {about.minutes} min · {about.difficulty}"
    names = [skill_name(s) for s in about.skills]
    # One line of skills, so each entry keeps its shape; the detail panel and the
    # briefing list them all.
    notes = "⚑ content notes · " if about.content_notes else ""
    last = plain(skills_line(names, LINE - len(notes)), "dim")
    if notes:
        last = Content.styled("⚑ content notes", "italic") + Content(" · ") + last
    lines = [Content.styled(clip(about.title, 70), "bold"), plain(facts, "dim"), last]
    done = progress_text(stats)
    if done is not None:
        lines.append(plain(done, "italic"))
    return Content("\n").join(lines)


class LibraryScreen(Screen[None]):
    """Choose a scenario to practise."""

    CSS_PATH = "library.tcss"
    AUTO_FOCUS = "#scenarios"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (96, "-wide")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority so the footer can show it over the list's own (unlabelled) Enter; it is
        # only enabled while the list has focus (see check_action).
        Binding(
            "enter",
            "open",
            "Open",
            id="library.open",
            priority=True,
            tooltip="Open the highlighted scenario's briefing",
        ),
        Binding(
            "p",
            "present",
            "Present",
            id="library.present",
            tooltip="Present the highlighted scenario to a group (projector mode)",
        ),
        Binding(
            "h",
            "app.history",
            "History",
            id="library.history",
            tooltip="Your past attempts: debriefs, resume, compare, export",
        ),
        Binding(
            "slash",
            "focus_search",
            "Search",
            id="library.search",
            tooltip="Search titles, clients, skills and file names",
        ),
        Binding(
            "s",
            "focus_skill",
            "Skill",
            id="library.skill",
            show=False,  # the skill menu is on screen; the key is listed in '?'
            tooltip="Show only scenarios that practise one skill",
        ),
        Binding(
            "escape",
            "clear",
            "Clear",
            id="library.clear",
            show=False,
            tooltip="Clear the search and the skill filter",
        ),
        Binding(
            "ctrl+r",
            "rescan",
            "Rescan",
            id="library.rescan",
            show=False,  # kept out of the footer so '? Keys' fits at 60 columns; listed in '?'
            tooltip="Read the scenario folders again (after editing files)",
        ),
    ]

    class Scanned(Message):
        """The scan finished (posted from the worker thread)."""

        def __init__(self, entries: list[Entry], problem: str | None = None) -> None:
            super().__init__()
            self.entries = entries
            self.problem = problem

    class Loaded(Message):
        """The library has been (re)scanned; the app keeps the entries."""

        def __init__(self, entries: list[Entry]) -> None:
            super().__init__()
            self.entries = entries

    class Open(Message):
        """The learner asked to open an entry."""

        def __init__(self, entry: Entry) -> None:
            super().__init__()
            self.entry = entry

    class Present(Message):
        """The facilitator asked to present an entry to a group."""

        def __init__(self, entry: Entry) -> None:
            super().__init__()
            self.entry = entry

    def __init__(
        self,
        dirs: Sequence[Path],
        *,
        cache_dir: Path | None = None,
        history: Callable[[], History] | None = None,
    ) -> None:
        super().__init__()
        self.dirs = tuple(dirs)
        self.cache_dir = cache_dir
        self.history = history
        self.entries: list[Entry] = []
        self.shown: list[Entry] = []
        self.scanned = False
        self.progress: dict[str, ScenarioStats] = {}
        self.shown_once = False
        self.detailed: Entry | None = None
        """The entry the side panel shows."""
        self.scan_count = ScanCount()
        """How far the latest scan has got."""

    def compose(self) -> ComposeResult:
        # The width's class (-narrow or -wide) before the widgets are styled: Textual sets
        # it on the first resize, and a change of class then restyles every widget.
        width = self.app.size.width
        ordered = sorted(self.HORIZONTAL_BREAKPOINTS, reverse=True)
        fits = next((name for least, name in ordered if width >= least), None)
        self.update_classes({name: name == fits for _, name in ordered}, animate=False)
        with Horizontal(id="library-top"):
            yield Static(Content("roleplay"), id="brand")
            yield Static(Content("practise building trust"), id="tagline")
        with Horizontal(id="filters"):
            yield Input(placeholder="Search title, client, skill…", id="search")
            yield Select[str](
                [(Content(skill.name), skill.id) for skill in skills().values()],
                prompt="All skills",
                id="skill",
            )
        with Horizontal(id="library-body"):
            yield OptionList(id="scenarios")
            with VerticalScroll(id="detail"):
                yield Vertical(id="detail-body")
        yield KeyFooter()

    def on_mount(self) -> None:
        # A library unchanged since last time is listed from the cache at once, in the
        # first frame; otherwise the files are checked in a worker.
        try:
            cached = summarise_cached(self.dirs, self.cache_dir)
        except Exception:
            cached = None
        if cached is not None:
            self._scanned(self.Scanned(cached))
            # The keys for the list as it is now, in the same first frame (the footer
            # would otherwise wait for that frame and add its keys in the next): next,
            # before the screen is shown.
            self.call_next(self.query_one(KeyFooter).settle)
            return
        self.start_scan()

    @on(events.ScreenResume)
    def _first_showing(self, event: events.ScreenResume) -> None:
        # Runs before Textual's own handler, which styles every widget again when a screen
        # is shown: at the first showing each was styled a moment ago, as it was mounted.
        if not self.shown_once:
            event.refresh_styles = False

    def on_screen_resume(self) -> None:
        # A practice or a deletion may have changed the progress. Not on the first
        # showing: the scan's result asks for it once the list has been painted.
        if self.shown_once:
            self.reread_progress()
        self.shown_once = True

    @work(exclusive=True, group="library-progress")
    async def reread_progress(self) -> None:
        """Which scenarios the learner has done, and their best (one query); once the list
        is there (the history is opened after the first frame)."""
        if self.history is None or not self.scanned:
            return
        try:
            stats = await asyncio.wrap_future(self.history().stats())
        except Exception:
            return
        progress = {figures.scenario_id: figures for figures in stats}
        if progress != self.progress:
            self.progress = progress
            if self.scanned:
                self.refilter()

    # -- scanning ---------------------------------------------------------------------
    def start_scan(self) -> None:
        """Cover the list with the scan's progress and check the files."""
        self.scan_count = ScanCount()
        self.query_one("#scenarios", OptionList).loading = True
        self.rescan(self.scan_count)

    def get_loading_widget(self) -> Widget:
        # The list's loading state: how far the scan has got (Textual's indicator's frames
        # slowed the scan of a large library).
        return ScanProgress(self.scan_count)

    @work(thread=True, exclusive=True, group="library-scan")
    def rescan(self, count: ScanCount) -> None:
        """Scan the scenario folders (in a thread) and post the result."""
        try:
            entries = summarise(self.dirs, self.cache_dir, progress=count.tell)
        except Exception as exc:  # a library scan must never take the app down
            self.post_message(self.Scanned([], f"The library could not be read: {exc}"))
            return
        self.post_message(self.Scanned(entries))

    @on(Scanned)
    def _scanned(self, message: Scanned) -> None:
        self.entries = message.entries
        self.scanned = True
        listing = self.query_one("#scenarios", OptionList)
        listing.loading = False
        if not isinstance(self.focused, (Input, Select)):
            listing.focus()
        if message.problem:
            self.notify(message.problem, severity="error", markup=False)
        self.refilter()
        self.post_message(self.Loaded(self.entries))
        # Reading the progress opens the history (importing the application layer): not
        # before the list is on the screen.
        after = getattr(self.app, "after_first_frame", self.call_after_refresh)
        after(self.reread_progress)

    # -- filtering --------------------------------------------------------------------
    @on(Select.Changed, "#skill")
    def _skill_chosen(self) -> None:
        self.refilter()
        self.query_one("#scenarios", OptionList).focus()

    @on(Input.Changed, "#search")
    def refilter(self) -> None:
        """Show the entries that pass the current search and skill filter."""
        query = self.query_one("#search", Input).value
        value = self.query_one("#skill", Select).value
        skill = value if isinstance(value, str) else None
        listing = self.query_one("#scenarios", OptionList)
        previous = listing.highlighted
        self.shown = [entry for entry in self.entries if matches(entry, query, skill)]
        # Playable scenarios first; broken files after them, still in scan order.
        self.shown.sort(key=lambda entry: not entry.ok)
        options: list[Option | None] = []
        for index, entry in enumerate(self.shown):
            if index:
                options.append(None)
            stats = self.progress.get(entry.id) if entry.ok else None
            options.append(Option(entry_prompt(entry, stats), id=f"entry-{index}"))
        listing.set_options(options)
        if self.shown:
            listing.highlighted = min(previous or 0, len(self.shown) - 1)
        self.show_detail(self.current())
        self.query_one("#library-body").set_class(not self.shown, "-empty")
        self.refresh_bindings()  # "Open" depends on whether anything is highlighted

    def current(self) -> Entry | None:
        """The highlighted entry."""
        listing = self.query_one("#scenarios", OptionList)
        option = listing.highlighted_option
        if option is None or option.id is None:
            return None
        return self.shown[int(option.id.removeprefix("entry-"))]

    @on(OptionList.OptionHighlighted, "#scenarios")
    def _highlighted(self) -> None:
        entry = self.current()
        # Filling the list highlights its first entry, which refilter has just shown.
        if entry is None or entry is not self.detailed:
            self.show_detail(entry)

    @on(OptionList.OptionSelected, "#scenarios")
    def _selected(self) -> None:
        self.action_open()

    def show_detail(self, entry: Entry | None) -> None:
        """Fill the side panel (wide terminals only) with the highlighted entry."""
        self.detailed = entry
        body = self.query_one("#detail-body", Vertical)
        body.remove_children()
        if entry is None:
            body.mount(Static(self.empty_text(), classes="empty"))
            return
        about = entry.about
        if about is None:
            body.mount_all(
                [
                    Static(plain(entry.path.name), classes="title"),
                    Static(
                        Content("This file cannot be played until these problems are fixed:"),
                        classes="text",
                    ),
                    *(Static(plain(describe(d)), classes="problem") for d in entry.errors[:8]),
                ]
            )
            return
        parts: list[Static] = [
            Static(plain(about.title), classes="title"),
            Static(plain(about.summary), classes="text"),
            Static(Content("Skills"), classes="heading"),
            Static(plain(", ".join(skill_name(s) for s in about.skills)), classes="item"),
            Static(Content("You will practise"), classes="heading"),
            *(Static(plain(f"• {o}"), classes="item") for o in about.objectives),
        ]
        if about.content_notes:
            parts.append(Static(Content("⚑ Content notes"), classes="heading warn"))
            parts.extend(Static(plain(f"• {n}"), classes="item") for n in about.content_notes)
        done = progress_text(self.progress.get(about.id))
        if done is not None:
            parts.append(Static(Content("Your attempts"), classes="heading"))
            parts.append(Static(plain(f"{done} (h: History)"), classes="item"))
        body.mount_all(parts)

    def empty_text(self) -> Content:
        """What the list says when nothing is shown."""
        if not self.scanned:
            return Content("Reading the scenario library…")
        if self.entries:
            return Content("No scenario matches. Press Esc to clear the search.")
        folders = ", ".join(str(d) for d in self.dirs) or "(none)"
        return plain(
            f"No scenario files were found in: {folders}. Add .yaml files there, "
            "or pass --scenarios DIR."
        )

    # -- actions ----------------------------------------------------------------------
    def action_open(self) -> None:
        entry = self.current()
        if entry is not None:
            self.post_message(self.Open(entry))

    def action_present(self) -> None:
        entry = self.current()
        if entry is not None:
            self.post_message(self.Present(entry))

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_focus_skill(self) -> None:
        self.query_one("#skill", Select).focus()

    def action_clear(self) -> None:
        search = self.query_one("#search", Input)
        skill = self.query_one("#skill", Select)
        if search.value or skill.value is not Select.NULL:
            search.value = ""
            skill.clear()
        self.query_one("#scenarios", OptionList).focus()

    def action_rescan(self) -> None:
        self.start_scan()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            listing = self.query_one("#scenarios", OptionList)
            return self.focused is listing and listing.highlighted is not None
        if action == "present":
            return self.query_one("#scenarios", OptionList).highlighted is not None
        return True

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one("#scenarios", OptionList).focus()
