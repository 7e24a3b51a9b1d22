"""Upload file names become member names of the case file: only plain names pass."""

import pytest

from enforcement_core.filenames import member_path_problem, name_problem


@pytest.mark.parametrize("name", ["现场照片01.jpg", "询问笔录（第1页）.pdf", "a.b.c", ".hidden", "CONFIG.SYS", "COM10.txt"])
def test_plain_names_pass(name):
    assert name_problem(name) is None


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("", "empty"),
        (".", "dots"),
        ("..", "dots"),
        ("..\\..\\windows\\evil.exe", "separator"),
        ("a/b.jpg", "separator"),
        ("bad\x07name.jpg", "control"),
        ("tab\tname.jpg", "control"),
        ("evil\u202egpj.exe", "control"),
        ("what?.jpg", "forbidden"),
        ("C:evil", "forbidden"),
        ("CON", "reserved"),
        ("nul.txt", "reserved"),
        ("COM1.mp4", "reserved"),
        ("lpt9", "reserved"),
        ("录像.mp4.", "trailing"),
        ("录像.mp4 ", "trailing"),
        ("录" * 90, "too_long"),
    ],
)
def test_unsafe_names_are_named(name, code):
    assert name_problem(name)[0] == code


def test_member_paths_are_checked_part_by_part():
    assert member_path_problem("files/000012/现场照片.jpg") is None
    assert member_path_problem("files/000012/..")[0] == "dots"
    assert member_path_problem("/etc/passwd")[0] == "empty"
