"""`csec search QUERY`: resources ranked by how well they match what was typed."""

from __future__ import annotations

from typing import Annotated

import typer

from csec_cli.commands.common import (
    CsvOption,
    IdsOption,
    JsonOption,
    TsvOption,
    app_state,
    filter_resources,
    output_layout,
    read_catalogue,
    refuse_long_query,
    warn_about_problems,
    with_filters,
)
from csec_cli.filters import ResourceFilter
from csec_cli.i18n import _
from csec_cli.messages import print_note
from csec_cli.models import resource_to_json
from csec_cli.plain_output import print_json, print_listing, print_plain_table, stdout_is_terminal
from csec_cli.search import (
    DEFAULT_MIN_SCORE,
    SearchHit,
    rank_resources,
    search_catalogue,
    summary_fragment,
    word_spans,
)


@with_filters
def search_command(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(metavar="QUERY", help="Words to look for, in any order.")],
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, metavar="N", help="Show at most N resources.")
    ] = 10,
    min_score: Annotated[
        float,
        typer.Option(
            "--min-score",
            min=0,
            max=100,
            metavar="SCORE",
            help="Leave out resources scoring below SCORE (0-100); lower it to see weaker matches.",
        ),
    ] = DEFAULT_MIN_SCORE,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Show why each resource matched: which query words matched what, where and "
            "how (exact, spelling, prefix, typo, cognate, stem, thesaurus, narrower, initials).",
        ),
    ] = False,
    json_output: JsonOption = False,
    csv_output: CsvOption = False,
    tsv_output: TsvOption = False,
    ids_output: IdsOption = False,
    *,
    filters: ResourceFilter,
) -> None:
    """Search titles, summaries, audiences, topics, countries and publishers; best matches first.

    Tolerates typos, UK/US spellings, accents and any word order; matches words by their stem in English, Spanish, Portuguese and French, and expands the query with the field's thesaurus ("trata" finds "trafficking"). Each result has a score from 0 to 100; matched words are highlighted, with the matching part of the summary when the title does not show them. --csv and --tsv add the score as the last column; --ids prints the ids alone, best first.

    Examples:
    csec search "labour inspectors" --since 2008
    csec search "explotacion sexual" --country "Central America" --json
    csec search "trata de niños" --explain
    """
    layout = output_layout(json=json_output, csv=csv_output, tsv=tsv_output, ids=ids_output)
    refuse_long_query(query, "QUERY")
    if filters == ResourceFilter():
        # Ranks over the whole catalogue: its search index is cached (search_catalogue).
        path = app_state(ctx).location.path_for_reading()
        hits, problems = search_catalogue(
            path, query, min_score=min_score, limit=limit, explain=explain
        )
        warn_about_problems(path, problems)
    else:
        from csec_cli.thesaurus_data import load_thesaurus

        catalogue = read_catalogue(ctx)
        hits = rank_resources(
            filter_resources(filters, catalogue.resources),
            query,
            min_score=min_score,
            limit=limit,
            thesaurus=load_thesaurus(catalogue.path),
            explain=explain,
        )
    if layout == "json":
        print_json([_hit_json(hit, explain=explain) for hit in hits])
    elif layout is not None:
        print_listing(layout, [hit.resource for hit in hits], [hit.score for hit in hits])
    elif hits:
        _print_hits(hits, explain=explain)
    if not hits and layout is None:
        print_note(_nothing_found(query, min_score, filtered=filters != ResourceFilter()))


def _print_hits(hits: list[SearchHit], *, explain: bool) -> None:
    """The hits as a table on a terminal (matched words highlighted), as plain lines elsewhere;
    with `explain`, why each matched, below. Rich is imported only when it draws something."""
    resources, scores = [hit.resource for hit in hits], [hit.score for hit in hits]
    if not stdout_is_terminal():
        print_plain_table(resources, scores)
    else:
        from csec_cli.render import print_search_table, search_title_cell

        print_search_table(
            resources, scores, [search_title_cell(*_title_parts(hit)) for hit in hits]
        )
    if explain:
        from csec_cli.render import print_explanations

        print_explanations([(hit.resource.id, hit.matches) for hit in hits])


def _nothing_found(query: str, min_score: float, *, filtered: bool) -> str:
    """Why nothing was listed, and what to try next."""
    hints = [_("check the spelling"), _("try fewer or other words")]
    if filtered:
        hints.append(_("drop some filters"))
    if min_score > 0:
        hints.append(_("lower --min-score (now {score})").format(score=f"{min_score:g}"))
    # Translators: {hints} is a list of the suggestions above, joined by commas.
    return _("No resources match {query}: {hints}.").format(
        query=repr(query), hints=", ".join(hints)
    )


def _hit_json(hit: SearchHit, *, explain: bool) -> dict[str, object]:
    """A hit in --json: the resource, its score, and with --explain its matches."""
    found: dict[str, object] = {**resource_to_json(hit.resource), "score": hit.score}
    if explain:
        found["matches"] = [match.as_json() for match in hit.matches]
    return found


def _title_parts(hit: SearchHit) -> tuple[str, list[tuple[int, int]], str, list[tuple[int, int]]]:
    """The title and where its matched words stand; and, when the title holds none of them, the
    summary's matching fragment and where they stand in it."""
    title = hit.resource.title
    spans = word_spans(title, hit.matched_words)
    if spans:
        return title, spans, "", []
    return title, spans, *summary_fragment(hit.resource.summary, hit.matched_words)
