"""The starting scenario written by ``roleplay new``: small, valid, and passes ``--strict``."""

from __future__ import annotations

import shlex
from pathlib import Path

from roleplay.core.models import is_slug

SCHEMA_FILE = "scenario.schema.json"
BUNDLED_SCHEMA = f"../docs/{SCHEMA_FILE}"
"""Where the bundled scenarios (``scenarios/`` in roleplay's own repository) find the schema."""


def modeline(schema: str) -> str:
    """The editor modeline naming the schema at ``schema`` (relative to the scenario)."""
    return f"# yaml-language-server: $schema={schema}\n"


TEMPLATE = """\
# The line above gives completion and inline errors in editors that use yaml-language-server
# (VS Code's YAML extension, Neovim, Helix...). Refresh the schema: roleplay schema > {schema}
# Check this file with: roleplay validate --strict {check_path}
id: "{id}"
title: A first conversation
summary: Replace this with one or two sentences on what the learner practises.
version: "1"
language: en
minutes: 8
difficulty: intro
objectives:
  - Explain confidentiality and its limits before the client shares anything personal.
content_notes:
  - Describe anything that may be activating, or remove this line.
skills: [transparency, attunement, repair]
provenance:
  authors: [Your name]
  review_status: draft
setting: >-
  What the learner knows before the session: the service, the referral, the room.
client:
  name: Alex
  pronouns: they/them
  age: 34
  introduction: >-
    A few sentences in the client's own voice: who they are, what brought them here.
  what_matters:
    - Their work, people, humour, goals and strengths.
trust:
  start: 35
  bands:
    - {{id: guarded, label: Guarded, min: 0}}
    - {{id: cautious, label: Cautious, min: 35}}
    - {{id: open, label: Open, min: 50}}
ruptures:
  - id: rushed
    title: Rushed past a question
    description: The client asked who would read the notes and the clinician moved on.
start: opening
nodes:
  - id: opening
    title: Who reads this?
    lines:
      - narration: Alex sits near the door, phone in hand.
      - say: Before we start, who gets to read what I say here?
        cue: glances at your notepad
    options:
      - id: explain
        text: >-
          Good question. What you say stays between us and my supervisor, with a few
          exceptions I'll spell out now, before you decide what to share.
        move: explain-confidentiality-limits
        effects: {{trust: 10, set_flags: [explained-limits]}}
        reaction:
          - say: Okay. Go on, then.
            cue: puts the phone down
        # Other ways a learner might type this reply, with the same stance (at least 3).
        examples:
          - Before you tell me anything, can I explain who sees my notes?
          - mostly it stays with me and my supervisor but there are a few limits
          - good question, there are some exceptions, let me go through them first
        next: follow-up
        feedback:
          rating: builds-trust
          skills: [transparency]
          why: >-
            Answering the question straight, before any disclosure, lets the client decide
            what to share with full knowledge (transparency).
          inner_experience: They answered the actual question. That's a start.
      - id: reassure
        text: Don't worry, everything here is completely confidential.
        move: promise-total-confidentiality
        effects: {{trust: -5, open_rupture: rushed}}
        reaction:
          - cue: a short, unconvinced nod
        examples:
          - nothing you say leaves this room
          - It's all private, you don't need to worry about that.
          - dont worry no one else will ever read it
        next: follow-up
        feedback:
          rating: missed-opportunity
          skills: [transparency]
          why: >-
            Confidentiality has limits; promising more than you can keep trades short-term
            comfort for a later breach of trust. Nothing here makes a limit likely soon, so
            it is a missed chance to be transparent rather than a harmful promise.
          inner_experience: Nobody can promise that. What aren't they telling me?
          stronger: >-
            "Most of it stays here. There are a few exceptions, and I'd like to tell you
            exactly what they are before we go on."
  - id: follow-up
    title: Checking in
    lines:
      - variants:
          - when: {{rupture_open: [rushed]}}
            say: Right. Everything. Sure.
          - say: So what happens now?
    options:
      - id: repair
        text: >-
          I brushed past your question, and it mattered. There are limits to
          confidentiality; can I go through them properly?
        when: {{rupture_open: [rushed]}}
        move: own-the-lapse
        effects: {{trust: 10, repair_rupture: rushed, set_flags: [explained-limits]}}
        reaction:
          - say: Yeah. I'd like that.
        examples:
          - Sorry, I skipped over your question. Can I answer it properly now?
          - i moved on too fast there, there are limits to what i keep private
          - I didn't really answer you before. Let me do that.
        next: close
        feedback:
          rating: builds-trust
          skills: [repair]
          why: >-
            Naming the slip and owning it briefly turns a rupture into evidence that you
            can be trusted (repair).
          inner_experience: They noticed. Huh.
      - id: ask
        text: What would make this time useful for you?
        effects: {{trust: 5}}
        reaction:
          - say: Honestly? Just being heard.
        examples:
          - What are you hoping to get out of today?
          - what would help most
          - How can I make this useful for you?
        next: close
        feedback:
          rating: partly-helpful
          skills: [attunement]
          why: Inviting the client's goals is good; any unanswered question still hangs.
          inner_experience: Nice question, but I'm still wondering about the notes.
          stronger: >-
            "Before that: did I answer your question about who reads the notes?"
      - id: forms
        text: >-
          Let's get the forms done first. It's a few pages on your history, your doctor and
          who to contact, and then we can talk properly.
        effects: {{trust: -5}}
        reaction:
          - cue: looks back at the phone
        examples:
          - Can we start with the paperwork?
          - lets just do the forms quickly and then talk
          - I need to get your details down first, then we'll get to it.
        next: close
        feedback:
          rating: missed-opportunity
          skills: [attunement]
          why: Putting paperwork first tells the client the service comes before them.
          inner_experience: Same as everywhere else.
          stronger: '"Forms can wait a few minutes. What brings you in today?"'
  - id: close
    lines:
      - variants:
          - when: {{flags: [explained-limits]}}
            say: Same time next week, then? Now I know where the notes go.
          - say: Same time next week, then?
    ending:
      - when: {{band: open}}
        ending: returns
      - ending: undecided
endings:
  - id: returns
    title: Alex books another session
    description: Alex leaves with a clear idea of what happens to what they share.
    client_view: I know where I stand. I can work with that.
  - id: undecided
    title: Alex will think about it
    description: Alex takes a leaflet and says they'll call. Maybe.
    client_view: Not sure yet. We'll see.
# roleplay's debrief also asks, unless these prompts already do: how the learner is
# feeling, one thing they will do differently next time, and what they would bring to
# supervision. Ask about this scenario's moments here, not those.
reflection_prompts:
  - What did you feel when Alex asked who reads the notes?
debrief_notes:
  - Explaining the limits of confidentiality before disclosure is what makes it a choice.
"""


class TemplateError(Exception):
    """The template cannot be written (bad id, or the file exists)."""


def render_template(
    scenario_id: str, path: Path | None = None, schema: str = f"./{SCHEMA_FILE}"
) -> str:
    """The template text for a new scenario id, to be written at ``path``.

    The id is quoted: an id such as ``123``, ``no`` or ``null`` would otherwise be read
    back as a number, a boolean or nothing.
    """
    if not is_slug(scenario_id):
        raise TemplateError(
            f"'{scenario_id}' is not a valid id: use lower-case letters, digits and single "
            "hyphens, e.g. first-visit"
        )
    check_path = shlex.quote(str(path or f"{scenario_id}.yaml"))
    return modeline(schema) + TEMPLATE.format(id=scenario_id, schema=schema, check_path=check_path)


def write_template(scenario_id: str, folder: Path) -> Path:
    """Write ``ID.yaml`` into ``folder`` (created if needed); never overwrite a file.

    The JSON Schema is written beside it (if not already there) for the editor modeline;
    in roleplay's own ``scenarios/`` folder the modeline names the copy in ``docs/``
    instead, as every bundled scenario does.
    """
    from roleplay.core.schema import schema_json

    path = folder / f"{scenario_id}.yaml"
    # (checked from the folder's parent: the folder itself may not exist yet)
    bundled = (folder.absolute().parent / "docs" / SCHEMA_FILE).is_file()
    text = render_template(scenario_id, path, BUNDLED_SCHEMA if bundled else f"./{SCHEMA_FILE}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        if not folder.is_dir():
            raise TemplateError(f"{folder} is a file, not a folder") from None
        raise TemplateError(f"{path} already exists; choose another id or folder") from None
    except OSError as exc:
        raise TemplateError(f"cannot write {path}: {exc.strerror}") from None
    schema = folder / SCHEMA_FILE
    if not bundled and not schema.exists():
        schema.write_text(schema_json() + "\n", encoding="utf-8")
    return path
