"""Every counting rule, in the order they are applied to each op (docs/seeds.md, "What compat
does"). A new rule goes in a module of its topic and its tuple is added here."""

from compat.seeds import convolution, core, gradients

RULES = core.RULES + gradients.RULES + convolution.RULES
