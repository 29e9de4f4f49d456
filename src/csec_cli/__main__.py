"""Lets `python -m csec_cli` run the same CLI as the `csec` command."""

from csec_cli.cli import main

main()
