"""A draft framework as respondents will see it: its principles and statements shaped as
the answering page reads them, from the checked file, with nothing saved."""

from dataclasses import dataclass

from principles.content_files import FrameworkData


@dataclass(frozen=True)
class PreviewStatement:
    pk: int  # for the fieldset's ids only: nothing is saved
    order: int
    code: str
    from_text: str
    to_text: str
    from_easy: str
    to_easy: str


@dataclass(frozen=True)
class PreviewPrinciple:
    number: int
    name: str
    easy_read_name: str
    summary: str
    easy_read_summary: str
    picture: str
    picture_alt: str
    statements: tuple[PreviewStatement, ...]

    @property
    def picture_path(self) -> str:
        return f"img/easy-read/{self.picture}.svg" if self.picture else ""


def principles_of(data: FrameworkData) -> list[PreviewPrinciple]:
    return [
        PreviewPrinciple(
            number=p_number,
            name=principle.name,
            easy_read_name=principle.easy_read_name,
            summary=principle.summary,
            easy_read_summary=principle.easy_read_summary,
            picture=principle.picture,
            picture_alt=principle.picture_alt,
            statements=tuple(
                PreviewStatement(
                    pk=p_number * 1000 + s_number,
                    order=s_number,
                    code=f"{p_number}.{s_number}",
                    from_text=statement.from_text,
                    to_text=statement.to_text,
                    from_easy=statement.from_easy,
                    to_easy=statement.to_easy,
                )
                for s_number, statement in enumerate(principle.statements, start=1)
            ),
        )
        for p_number, principle in enumerate(data.principles, start=1)
    ]
