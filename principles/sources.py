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
    Work(
        short="Co-production Network for Wales web page",
        citation=(
            "Co-production Network for Wales (Rhwydwaith Cyd-gynhyrchu Cymru), “What is "
            "co-production?” (in Welsh, “Beth yw cydgynhyrchu?”), web page at copronet.wales "
            "(undated; read December 2026)."
        ),
        what_we_take=_(
            "The five principles of co-production taught in Wales, by their names in English "
            "and in Welsh, and the Network’s definition of co-production."
        ),
    ),
    Work(
        short="Co-production Network for Wales knowledge base",
        citation=(
            "Co-production Network for Wales, “Co-production definition and principles (with "
            "posters)”, knowledge base at info.copronet.wales, with A3 posters in English and "
            "Welsh illustrated by Laura Sorvala (undated; read December 2026)."
        ),
        what_we_take=_(
            "The same five principles in their longer wording, such as networks of mutual "
            "support, and organisations that enable people to be change makers."
        ),
    ),
    Work(
        short="Co-production Network for Wales 2017",
        citation=(
            "Co-production Network for Wales, “The 5 principles of co-production – what’s it "
            "all about then?”, blog post on a film made with Learning Disability Wales and "
            "its co-production champions, 20 April 2017."
        ),
        what_we_take=_(
            "An earlier naming of the five principles: assets, networks, outcomes, exchanges "
            "(reciprocity) and creators of change."
        ),
    ),
    Work(
        short="Social Services and Well-being (Wales) Act 2014",
        citation=(
            "Social Services and Well-being (Wales) Act 2014 (anaw 4); and Welsh Government, "
            "Social Services and Well-being (Wales) Act 2014: Part 2 Code of Practice (General "
            "Functions) (2015)."
        ),
        what_we_take=_(
            "The law in Wales, which makes co-production one of its principles and asks "
            "local authorities to involve people in designing and running services. The five "
            "principles themselves are the Network’s words, not the Act’s."
        ),
    ),
    Work(
        short="SCIE Guide 51, 2013",
        citation=(
            "Social Care Institute for Excellence (SCIE), Co-production in social care: what "
            "it is and how to do it, SCIE Guide 51 (London: SCIE, 2013)."
        ),
        what_we_take=_(
            "The four principles of equality, diversity, accessibility and reciprocity; the "
            "jigsaw of culture, structure, practice and review, and the recommendations "
            "organised by it."
        ),
    ),
    Work(
        short="Arnstein 1969",
        citation=(
            "Sherry R. Arnstein, “A Ladder of Citizen Participation”, Journal of the American "
            "Institute of Planners, 35(4), 216–224 (July 1969)."
        ),
        what_we_take=_(
            "The ladder of participation: how far people share power over a decision, from "
            "being told about it to controlling it. The four Co’s grid asks how far people "
            "are involved in steps that follow it."
        ),
    ),
    Work(
        short="Think Local Act Personal, ladder of co-production",
        citation=(
            "Think Local Act Personal and the National Co-production Advisory Group, "
            "“Ladder of co-production” (flier and film, undated; read December 2026), which "
            "draws on Arnstein’s ladder of citizen participation (1969)."
        ),
        what_we_take=_(
            "The steps towards co-production in health and social care, from coercion, "
            "educating and informing, through consultation and engagement, to co-design and "
            "co-production; the four Co’s grid’s steps are a shorter reading of them."
        ),
    ),
)
