from detector.text import normalize_name, normalize_text, split_items, to_simplified


def test_traditional_full_width_and_spaces_normalise_alike():
    assert normalize_name("溫州市 汽摩配（行業）協會") == normalize_name("温州市汽摩配行业协会") == "温州市汽摩配行业协会"


def test_full_width_latin_and_digits_become_half_width():
    assert normalize_text("ＡＢＣ１２３　有限公司") == "ABC123 有限公司"
    assert normalize_name("温州市ｉｔ服务协会") == "温州市IT服务协会"


def test_set_up_annotations_are_dropped_from_names():
    assert normalize_name("温州市鞋革行业协会（筹）") == "温州市鞋革行业协会"
    assert normalize_name("温州市鞋革行业协会(筹备组)") == "温州市鞋革行业协会"


def test_bracket_content_is_kept():
    assert normalize_name("温州市鞋业（皮革）协会") == "温州市鞋业皮革协会"


def test_missing_values():
    assert normalize_text(None) == "" and normalize_text(float("nan")) == "" and normalize_name("") == ""


def test_simplified_conversion():
    assert to_simplified("鞋業發展與製造") == "鞋业发展与制造"


def test_split_items_on_both_semicolons():
    assert split_items("行业培训；展会组织;  标准制定 ；") == ["行业培训", "展会组织", "标准制定"]
