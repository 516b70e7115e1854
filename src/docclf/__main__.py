"""`python -m docclf COMMAND ...` is the `docclf` command."""

from docclf.cli import main

if __name__ == "__main__":
    main()
