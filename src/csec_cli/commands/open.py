"""`csec open ID`: open a resource's url in the default web browser."""

from __future__ import annotations

import webbrowser
from typing import Annotated

import typer

from csec_cli.catalogue import find_resource
from csec_cli.checks import is_web_address
from csec_cli.commands.common import IdArgument, read_catalogue
from csec_cli.console import out
from csec_cli.errors import CsecError
from csec_cli.render import print_note, safe_text


def open_command(
    ctx: typer.Context,
    resource_id: IdArgument,
    print_only: Annotated[
        bool, typer.Option("--print", help="Print the url instead of opening a browser.")
    ] = False,
) -> None:
    """Open a resource's url in your default web browser.

    Where no browser can be started (a server, an ssh session) the url is printed instead.

    Example: csec open labour-inspection-csec
    """
    resource = find_resource(read_catalogue(ctx).resources, resource_id)
    if not resource.url:
        raise CsecError(
            f"{resource.id} has no url recorded (`csec edit` can add one where it is known)"
        )
    if not is_web_address(resource.url):
        # A catalogue may come from anyone: never hand a file: or javascript: address to a browser.
        raise CsecError(
            f"{resource.id}'s url {resource.url!r} is not an http(s) address; not opening it"
        )
    if print_only or not webbrowser.open(resource.url):
        out.print(safe_text(resource.url), soft_wrap=True)
        if not print_only:
            print_note("No web browser could be started; the url is above.")
        return
    print_note(f"Opened {resource.url}")
