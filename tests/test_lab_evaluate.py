from detector.lab.evaluate import evaluate_dataset, format_results


def test_evaluation_on_unseen_generated_data(synth_dir, embedder):
    r = evaluate_dataset(synth_dir, embedder, "嘉兴市-standard-4242")
    assert r.blocking_recall >= 0.98
    assert r.study.f1 >= 0.85 and r.bcubed.f1 >= 0.9
    assert sum(r.near_miss_grouped.values()) <= 2
    dup_ok, dup_total = r.duplicate_right_match
    assert dup_total and dup_ok / dup_total >= 0.8
    new_dup, new_total = r.new_called_duplicate
    assert new_dup <= max(1, 0.1 * new_total)
    text = format_results([r])
    assert "嘉兴市-standard-4242" in text and "近似误并" in text
