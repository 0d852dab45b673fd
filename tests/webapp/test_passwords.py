"""The password and name rules: length, characters, not the username, bcrypt's limit, and
zxcvbn's strength (score 3 or more) with its feedback in the refusal."""

from __future__ import annotations

from webapp import passwords


def test_strong_passwords_pass():
    assert passwords.password_problems("Sunflower-2030", username="anna") == []
    assert passwords.password_problems("Harbour-lantern-2031") == []


def test_common_password_refused_with_zxcvbn_feedback():
    (problem,) = passwords.password_problems("Password123", username="anna")
    assert problem.startswith("password is too easy to guess (strength 1 of 4, needs 3)")
    assert "very common password" in problem and "Add another word" in problem


def test_account_words_count_against_a_password():
    assert passwords.strength_problems("Qvintrell2030") == []
    assert passwords.strength_problems("Qvintrell2030", ["qvintrell", "q@example.com"])
    assert passwords.password_problems("Qvintrell2030", username="qvintrell")


def test_length_rules_come_first_and_all_together():
    problems = passwords.password_problems("abc")
    assert any("at least 10" in p for p in problems) and any("digit" in p for p in problems)
    assert not any("too easy" in p for p in problems)  # strength judged once the rules hold


def test_hash_and_verify():
    hashed = passwords.hash_password("Sunflower-2030")
    assert passwords.verify_password("Sunflower-2030", hashed)
    assert not passwords.verify_password("Sunflower-2031", hashed)
    assert not passwords.verify_password("x" * 100, hashed)
    assert not passwords.verify_password("Sunflower-2030", "not-a-hash")


def test_username_and_email_rules():
    assert passwords.normalise_username("  Anna ") == "anna"
    assert passwords.username_problems("a b") and not passwords.username_problems("anna.k")
    assert passwords.email_problems("x") and not passwords.email_problems("a@b.org")
