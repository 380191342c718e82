"""backprop exercises: answer keys against autograd, worksheets without answers, students with
numbers of their own, deterministic PDFs, and bad input (one line, exit 2, nothing written)."""

from __future__ import annotations

import re
import subprocess
import time
from itertools import combinations

import pytest
from conftest import BIN, run
from practice_oracle import chain_oracle, network_oracle, read_config

from backprop.cluster import CONNECT_TIMEOUT, SchedulerUnreachable
from backprop.exercises import write_exercises
from backprop.worksheet import ANSWER_DECIMALS
from lessonmodel.config import PARAM_LIMIT, load_config
from lessonmodel.fmt import format_number
from lessonmodel.practice import questions_of

CHAIN_QUESTIONS = 5  # the chain's questions (and its examples') come first, then the network's
NUMBER = re.compile(r"[−-]?\d+\.\d+")


def pdf_text(path) -> str:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.replace("−", "-")


def tokens(text: str) -> set[str]:
    return set(NUMBER.findall(text.replace("−", "-")))


def shown(value: float) -> str:
    """An answer as the key writes it (the mantissa alone for scientific form)."""
    return format_number(value, ANSWER_DECIMALS).split("e")[0]


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    """A class of four students, with a base config whose chain uses tanh (targets -1 or 1)."""
    base = tmp_path_factory.mktemp("base") / "base.toml"
    base.write_text('[chain]\nactivation = "tanh"\ntarget = 1.0\n[examples]\ncount = 3\nseed = 1\n'
                    '[network]\nsizes = [2, 3, 3, 2]\ntarget = [0.0, 1.0]\nfocus = [1, 2]\n')
    out = tmp_path_factory.mktemp("class") / "class"
    result = run([str(BIN / "backprop"), "exercises", "--students", "4", "--seed", "11", "--config", str(base),
                  "--out", str(out)])
    assert result.returncode == 0, result.stderr
    return out


def base_of(out):
    """The base config the class fixture was made from (its folder is pytest's)."""
    return next(out.parent.parent.glob("base*/base.toml"))


def students(out):
    return sorted(p for p in out.iterdir() if re.fullmatch(r"\d\d", p.name))


def test_every_number_of_every_answer_key_matches_autograd(klass):
    key = pdf_text(klass / "answers.pdf")
    sections = re.split(r"Answers: student (\d\d)", key)[1:]
    by_student = dict(zip(sections[::2], sections[1::2]))
    assert sorted(by_student) == [p.name for p in students(klass)]
    checked = 0
    for folder in students(klass):
        doc = read_config(folder / "config.toml")
        oracles = (chain_oracle(doc), network_oracle(doc))
        text_tokens = tokens(by_student[folder.name])
        for i, question in enumerate(questions_of(load_config(folder / "config.toml"))):
            oracle = oracles[0 if i < CHAIN_QUESTIONS else 1]
            for answer in question.answers:
                numbers = [(answer.name, answer.value)] + [(o.name, o.value) for o in answer.operands]
                for name, value in numbers:
                    assert value == pytest.approx(float(oracle(str(name))), rel=1e-9, abs=1e-12), (folder.name, name)
                    checked += 1
                expected = shown(float(oracle(str(answer.name))))
                assert expected in text_tokens or "e" in format_number(answer.value, ANSWER_DECIMALS), (
                    folder.name, answer.name, expected)
                for operand in answer.operands:  # every factor, term and input of the worked solution
                    decimals = 2 if operand.given else ANSWER_DECIMALS
                    text = format_number(float(oracle(str(operand.name))), decimals)
                    assert "e" in text or text in text_tokens or text == "1.00", (folder.name, operand.name, text)
    assert checked > 400


def test_a_long_product_puts_its_numbers_on_a_line_of_their_own():
    from backprop.worksheet import answers_source
    from lessonmodel.practice import LONG_PRODUCT

    cfg = load_config(None)  # the shipped config: a chain of 3 layers, ∂C0/∂w(1) has 7 factors
    lines = [line for line in answers_source([cfg]).splitlines() if line.startswith("#tall[")]
    broken = [line for line in lines if "\\ &=" in line]
    assert len(broken) == 1 and " dot " in broken[0]
    assert broken[0].split("\\")[1].count(" dot ") + 1 > LONG_PRODUCT  # the numbers of the longest product
    assert all("&=" not in line for line in lines if line not in broken)


def test_worksheets_hold_the_given_numbers_and_none_of_the_answers(klass):
    for folder in students(klass):
        cfg = load_config(folder / "config.toml")
        sheet = tokens(pdf_text(folder / "worksheet.pdf"))
        given = [cfg.chain.input, *cfg.chain.weights, *cfg.chain.biases, *cfg.examples.inputs, *cfg.network.input,
                 *[v for row in cfg.network.weights[-1] for v in row], *cfg.network.biases[0]]
        for value in given:  # the check below can see numbers: the worksheet's own are there
            assert format_number(value, 2) in sheet, (folder.name, value)
        for question in questions_of(cfg):
            for answer in question.answers:
                assert shown(answer.value) not in sheet, (folder.name, answer.name)
                for operand in answer.operands:
                    if not operand.given:
                        assert shown(operand.value) not in sheet, (folder.name, operand.name)


def test_students_never_share_numbers(tmp_path):
    out = tmp_path / "big"
    result = run([str(BIN / "backprop"), "exercises", "--students", "25", "--seed", "3", "--out", str(out)])
    assert result.returncode == 0, result.stderr
    configs = [load_config(f / "config.toml") for f in students(out)]
    assert len(configs) == 25
    for a, b in combinations(configs, 2):
        assert a.chain.weights != b.chain.weights or a.chain.biases != b.chain.biases
        assert (a.chain.weights, a.chain.biases, a.chain.input) != (b.chain.weights, b.chain.biases, b.chain.input)
        assert a.examples.inputs != b.examples.inputs
        assert a.network.weights != b.network.weights
    finals = [questions_of(c)[1].answers[-1].value for c in configs]  # ∂C0/∂w(L): different for everyone
    assert len({round(v, 6) for v in finals}) == len(finals)
    for cfg in configs:  # inside the config's limits, two decimals
        for v in (*cfg.chain.weights, *cfg.chain.biases, cfg.chain.input, *cfg.network.input):
            assert abs(v) <= PARAM_LIMIT and v == round(v, 2)


def test_a_student_is_reproducible_and_the_pdfs_are_byte_identical(klass, tmp_path):
    again = tmp_path / "again"
    base = base_of(klass)
    result = run([str(BIN / "backprop"), "exercises", "--students", "4", "--seed", "11", "--config", str(base),
                  "--out", str(again)])
    assert result.returncode == 0, result.stderr
    assert (again / "answers.pdf").read_bytes() == (klass / "answers.pdf").read_bytes()
    for folder in students(klass):
        for name in ("worksheet.pdf", "config.toml"):
            assert (again / folder.name / name).read_bytes() == (folder / name).read_bytes()
    # A smaller class from the same seed: the same first students.
    fewer = tmp_path / "fewer"
    assert run([str(BIN / "backprop"), "exercises", "--students", "2", "--seed", "11", "--config", str(base),
                "--out", str(fewer)]).returncode == 0
    assert (fewer / "02" / "config.toml").read_bytes() == (klass / "02" / "config.toml").read_bytes()


@pytest.mark.parametrize("args, message", [
    (["--students", "0"], "--students must be from 1 to 999, got 0"),
    (["--students", "3", "--seed", "4294967294"], "too many students for the seed space"),
    (["--students", "2", "--config", "BAD"], "[chain] target: must be in [0, 1] for sigmoid"),
    (["--students", "2", "--videos", "--scheduler", "tcp://127.0.0.1:9"], "cannot reach the Dask scheduler"),
])
def test_bad_input_costs_one_line_and_writes_nothing(args, message, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[chain]\ntarget = 1.5\n")
    out = tmp_path / "out"
    args = [str(bad) if a == "BAD" else a for a in args]
    result = run([str(BIN / "backprop"), "exercises", *args, "--out", str(out)])
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("backprop: error: ") and message in lines[0], result.stderr
    assert not out.exists()


def test_an_unreachable_scheduler_is_reported_within_seconds(tmp_path):
    import distributed  # noqa: F401 - imported before the clock starts: the machine may be busy

    start = time.monotonic()
    with pytest.raises(SchedulerUnreachable, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        write_exercises(tmp_path / "out", 2, videos=True, scheduler="tcp://127.0.0.1:9")
    assert time.monotonic() - start < CONNECT_TIMEOUT + 3
    assert not (tmp_path / "out").exists()
