"""``python -m armsim.cli``: the ``armsim`` command."""

from armsim.cli import main

if __name__ == "__main__":
    main()
