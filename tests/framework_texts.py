"""Small framework files for tests: one without easy read, and its broken forms."""

PLAIN = """slug = "our-charter"
name = "Our co-production charter"
source = "Riverside adult care, Our co-production charter (2026)"
summary = "What we promised each other when we began working together."

[[principles]]
slug = "listening"
name = "We listen first"
summary = "Decisions start from what people tell us matters to them."

  [[principles.statements]]
  from_text = "We decide, then ask people what they think."
  to_text = "We ask people what matters before anything is decided."
  source_note = "Our charter, promise 1."

  [[principles.statements]]
  from_text = "Feedback goes into a report nobody reads."
  to_text = "People hear what changed because of what they said."
  source_note = "Our charter, promise 2."

[[principles]]
slug = "sharing-power"
name = "We share power"
summary = "People who use services have a real say in how money and time are spent."

  [[principles.statements]]
  from_text = "Staff make the decisions and report them."
  to_text = "People who use services and staff decide together."
  source_note = "Our charter, promise 3."
"""

# The same, with one statement made wrong: its "to" missing (on line 11).
BROKEN = PLAIN.replace('  to_text = "We ask people what matters before anything is decided."\n', "")

# With easy read in the first principle only.
SOME_EASY_READ = PLAIN.replace(
    'name = "We listen first"\n',
    'name = "We listen first"\neasy_read_name = "We listen"\n',
)
