"""One module per command, each a thin layer between typer options and the core."""
