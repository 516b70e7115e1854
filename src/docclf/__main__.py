"""`python -m docclf COMMAND ...` is the `docclf` command."""

from docclf.cli import main

main()
