#!/usr/bin/env python
from safeguarding.cli import main

if __name__ == "__main__":
    main()
