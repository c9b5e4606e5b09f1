import sys

from tf1_examples.regress import main

sys.exit(main())
