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
    warn_about_problems,
    with_filters,
)
from csec_cli.filters import ResourceFilter
from csec_cli.models import resource_to_json
from csec_cli.render import (
    highlight_text,
    print_json,
    print_listing,
    print_note,
    print_search_table,
)
from csec_cli.search import DEFAULT_MIN_SCORE, rank_resources, search_catalogue, word_spans


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
    json_output: JsonOption = False,
    csv_output: CsvOption = False,
    tsv_output: TsvOption = False,
    ids_output: IdsOption = False,
    *,
    filters: ResourceFilter,
) -> None:
    """Search titles, summaries, audiences, topics and countries; best matches first.

    Tolerates typos, UK/US spellings, accents and any word order. Each result has a score from 0 to 100; matched words are highlighted in the titles. --csv and --tsv add the score as the last column; --ids prints the ids alone, best first.

    Examples:
    csec search "labour inspectors" --since 2008
    csec search "explotacion sexual" --country "Central America" --json
    """
    layout = output_layout(json=json_output, csv=csv_output, tsv=tsv_output, ids=ids_output)
    if filters == ResourceFilter():
        # Ranks over the whole catalogue: its search index is cached (search_catalogue).
        path = app_state(ctx).location.path_for_reading()
        hits, problems = search_catalogue(path, query, min_score=min_score, limit=limit)
        warn_about_problems(path, problems)
    else:
        catalogue = read_catalogue(ctx)
        hits = rank_resources(
            filter_resources(filters, catalogue.resources),
            query,
            min_score=min_score,
            limit=limit,
        )
    if layout == "json":
        print_json([{**resource_to_json(hit.resource), "score": hit.score} for hit in hits])
    elif layout is not None:
        print_listing(layout, [hit.resource for hit in hits], [hit.score for hit in hits])
    elif hits:
        print_search_table(
            [hit.resource for hit in hits],
            [hit.score for hit in hits],
            [
                highlight_text(
                    hit.resource.title, word_spans(hit.resource.title, hit.matched_words)
                )
                for hit in hits
            ],
        )
    if not hits and layout is None:
        print_note(_nothing_found(query, min_score, filtered=filters != ResourceFilter()))


def _nothing_found(query: str, min_score: float, *, filtered: bool) -> str:
    """Why nothing was listed, and what to try next."""
    hints = ["check the spelling", "try fewer or other words"]
    if filtered:
        hints.append("drop some filters")
    if min_score > 0:
        hints.append(f"lower --min-score (now {min_score:g})")
    return f"No resources match {query!r}: " + ", ".join(hints) + "."
