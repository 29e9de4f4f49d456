"""Lets `python -m csec_cli` run the same CLI as the `csec` command."""

from csec_cli.entry_point import main

main()
