"""The works the frameworks are written from, cited in full on the sources page; each
statement's note cites them in short (``short``)."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Work:
    short: str
    citation: str
    # Our own words, in the reader's language; the citation names the work as published.
    what_we_take: str | Promise


WORKS = (
    Work(
        short="Nicoll 2016",
        citation=(
            "Tricia Nicoll, “Getting to the heart of co-production: what makes this approach "
            "different from just asking people what they think?” (slides, November 2016). "
            "Within it: Edgar Cahn, No More Throw-Away People (2000); nef and NESTA, Public "
            "Services Inside Out (April 2010); and Tricia Nicoll Consulting and Inclusion "
            "North, “Co-production — how are you doing? A self-reflection tool”."
        ),
        what_we_take=_(
            "Edgar Cahn’s four principles with their “from” and “to” examples; nef and "
            "NESTA’s six principles; ladders of participation; the self-reflection tool "
            "and its four levels, which our scale follows."
        ),
    ),
    Work(
        short="Coprodnet workshop report 2012",
        citation=(
            "Coprodnet and Governance International, report of the co-production workshop "
            "at Policy@Manchester, University of Manchester, 30 October 2012."
        ),
        what_we_take=_(
            "What co-production is, and how it differs from traditional services and from "
            "self-help; the barriers services meet, the smart ideas that get round them, "
            "and case studies."
        ),
    ),
    Work(
        short="Birmingham roadshow report 2011",
        citation=(
            "Governance International and the University of Birmingham for NESTA and nef, "
            "“Co-producing public services: the Birmingham Co-production Roadshow”, "
            "29 March 2011."
        ),
        what_we_take=_(
            "Co-production that replaces or adds to what staff do; the four Co’s "
            "(co-commissioning, co-design, co-delivery, co-assessment); the five steps (Map "
            "it, Focus it, People it, Market it, Grow it), which name the steps of an "
            "action; time banking."
        ),
    ),
    Work(
        short="‘The challenge of co-production’ essay",
        citation=(
            "“The challenge of co-production when we can’t be trusted to vote for "
            "anything!”, an essay by a social-sector consultant and trainer."
        ),
        what_we_take=_(
            "Five things that make the difference between taking part and co-producing: "
            "awareness, buy-in, expectations, performance and feedback."
        ),
    ),
    Work(
        short="Cullum, SCIE speech",
        citation=(
            "Philip Cullum (National Consumer Council), speech at the SCIE Partners’ "
            "Council event “Co-production: working together to build strong communities”."
        ),
        what_we_take=_(
            "Why this tool exists: real dialogue rather than “fake listening”; involving "
            "people early; being open about what changed as a result."
        ),
    ),
)
