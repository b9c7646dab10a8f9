"""`python -m sco_decl` runs the same CLI as the `sco-decl` script."""
from sco_decl.cli import main

if __name__ == "__main__":
    main(prog_name="sco-decl")
