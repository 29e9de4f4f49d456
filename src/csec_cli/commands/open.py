"""`csec open ID`: open a resource's first attached file, or else its url, with the usual program."""

from __future__ import annotations

import webbrowser
from pathlib import Path
from typing import Annotated

import typer

from csec_cli.catalogue import find_resource
from csec_cli.checks import attached_file_path, is_web_address
from csec_cli.commands.common import IdArgument, read_catalogue
from csec_cli.console import out
from csec_cli.errors import CsecError
from csec_cli.i18n import _
from csec_cli.models import Resource
from csec_cli.render import print_note, safe_text

# A catalogue may come from anyone, and the desktop's opener would run these rather than show
# them: an attached "document" of such a kind is refused.
_LAUNCHERS = frozenset({
    ".app", ".bat", ".cmd", ".com", ".command", ".desktop", ".exe", ".jar", ".lnk", ".msi",
    ".ps1", ".scr", ".sh", ".url", ".vbs",
})  # fmt: skip


def open_command(
    ctx: typer.Context,
    resource_id: IdArgument,
    print_only: Annotated[
        bool,
        typer.Option("--print", help="Print the file's path or the url instead of opening it."),
    ] = False,
) -> None:
    """Open a resource's first attached file, or else its url in your default web browser.

    A file's path is read from the catalogue's folder unless it is absolute.

    Where nothing can be started (a server, an ssh session) the path or url is printed instead.

    Example: csec open labour-inspection-csec
    """
    catalogue = read_catalogue(ctx)
    resource = find_resource(catalogue.resources, resource_id)
    if resource.files:
        path = _attached_file(resource, catalogue.path.parent)
        _open(
            str(path),
            path.as_uri(),
            print_only,
            _("No program could be started; the path is above."),
        )
        return
    if not resource.url:
        raise CsecError(
            _(
                "{id} has no url recorded, nor a file (`csec edit` can add either: --url, --file)"
            ).format(id=resource.id)
        )
    if not is_web_address(resource.url):
        # A catalogue may come from anyone: never hand a file: or javascript: address to a browser.
        raise CsecError(
            _("{id}'s url {url} is not an http(s) address; not opening it").format(
                id=resource.id, url=repr(resource.url)
            )
        )
    _open(
        resource.url,
        resource.url,
        print_only,
        _("No web browser could be started; the url is above."),
    )


def _attached_file(resource: Resource, folder: Path) -> Path:
    """The resource's first file, which must be there and be a document."""
    item = resource.files[0]
    path = attached_file_path(item, folder).absolute()
    if not path.is_file():
        if path.is_dir():
            problem = _("{id}'s file {file} is a folder, not a file (looked for {path})")
        else:
            problem = _("{id}'s file {file} does not exist (looked for {path})")
        problem = problem.format(id=resource.id, file=repr(item), path=path)
        if resource.url:
            # Translators: {problem} is one of the two messages above, {url} an address.
            problem = _("{problem}; its url is {url}").format(problem=problem, url=resource.url)
        raise CsecError(problem)
    if path.suffix.lower() in _LAUNCHERS:
        raise CsecError(
            _(
                "{id}'s file {file} is a program or launcher, not a document; csec does not open it"
            ).format(id=resource.id, file=repr(item))
        )
    return path


def _open(shown: str, address: str, print_only: bool, failed: str) -> None:
    if print_only or not webbrowser.open(address):
        out.print(safe_text(shown), soft_wrap=True)
        if not print_only:
            print_note(failed)
        return
    print_note(_("Opened {path}").format(path=shown))
