from simulator.merge import render


def test_render_fills_known_fields_and_leaves_empty_ones_visible() -> None:
    text, missing = render(
        "Hi {{ first_name }}, {{fact}} {{unknown}}", {"first_name": "Ana", "fact": None}
    )
    assert text == "Hi Ana, {{fact}} {{unknown}}"
    assert missing == ("fact", "unknown")
