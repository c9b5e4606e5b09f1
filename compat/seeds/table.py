"""Every counting rule, in the order they are applied to each op (docs/seeds.md, "What compat
does"). A new rule goes in a module of its topic and its tuple is added here."""

from compat.seeds import (conversion, core, gradients, lookups, loop_gradients, normalization, ragged,
                          script_gradients, slicing)
from compat.seeds.rule import NOTED

RULES = (core.RULES + gradients.RULES + (NOTED,) + lookups.RULES + slicing.RULES + ragged.RULES
         + normalization.RULES + conversion.RULES + script_gradients.RULES
         + loop_gradients.RULES)
