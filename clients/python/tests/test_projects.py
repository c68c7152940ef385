"""Projects, experiments, configuration errors and refusals."""

import pytest

from trackboard import (
    Client,
    ConfigurationError,
    Conflict,
    NotFound,
    UnreachableError,
    ValidationFailed,
)


def test_client_reads_its_server_and_token_from_the_environment(server, monkeypatch):
    monkeypatch.delenv("TRACKBOARD_URL", raising=False)
    monkeypatch.delenv("TRACKBOARD_TOKEN", raising=False)
    with pytest.raises(ConfigurationError, match="TRACKBOARD_URL"):
        Client()
    with pytest.raises(ConfigurationError, match="TRACKBOARD_TOKEN"):
        Client(host=server.url)
    with pytest.raises(UnreachableError, match="cannot reach"):
        Client(host="http://127.0.0.1:9", api_token="tb_x", retries=1)


def test_projects_are_created_found_and_listed(client, project):
    assert client.get_project(project.name).id == project.id
    assert client.get_project(id=project.id).name == project.name
    assert project.name in [found.name for found in client.list_projects()]
    with pytest.raises(Conflict) as taken:
        client.create_project(project.name)
    assert taken.value.field == "name"
    with pytest.raises(NotFound):
        client.get_project("no such project")


def test_a_refusal_names_its_field_and_stores_nothing(client, project):
    with pytest.raises(ValidationFailed) as refused:
        project.create_experiment("   ")
    assert refused.value.status == 422
    assert refused.value.field == "name"
    assert project.list_experiments() == []


def test_experiments_are_created_found_updated_and_deleted(project):
    base = project.create_experiment("base")
    child = project.create_experiment("child", description="tuned", base_experiment=base)
    assert project.get_experiment("child").id == child.id
    assert [found.name for found in project.list_experiments()] == ["child", "base"]
    child.update(description="retuned", status="running")
    assert child.status == "running"
    child.delete()
    with pytest.raises(NotFound):
        project.get_experiment("child")


def test_results_are_one_row_per_experiment_with_its_values_and_parameters(project):
    with project.create_experiment("a") as first:
        first.log("accuracy", 0.9, "VALUE")
        first.log("backbone", "resnet", "VALUE")
        first.log_parameters({"optimizer": {"lr": 0.001}, "epochs": 3})
    project.create_experiment("b")
    rows = project.results()
    assert isinstance(rows, list)  # no pandas in the test environment
    by_name = {row["name"]: row for row in rows}
    assert by_name["a"]["accuracy"] == 0.9
    assert by_name["a"]["backbone"] == "resnet"
    assert by_name["a"]["parameters.optimizer.lr"] == 0.001
    assert by_name["a"]["parameters.epochs"] == 3
    assert by_name["b"]["accuracy"] is None
    assert by_name["b"]["status"] == "waiting"


def test_results_for_a_dataset_keep_the_experiments_that_used_it(client, project):
    """Seed 004's load_experiment_results_for_dataset."""
    dataset = client.create_dataset(f"frames-{project.id}")
    used, other = dataset.create_version("v1"), dataset.create_version("v2")
    with project.create_experiment("trained on v1") as first:
        first.attach_dataset("training", used)
        first.log("accuracy", 0.75, "VALUE")
    with project.create_experiment("trained on v2") as second:
        second.attach_dataset("training", other)
    project.create_experiment("no dataset")
    rows = client.load_experiment_results_for_dataset(project.name, used)
    assert [(row["name"], row["accuracy"]) for row in rows] == [("trained on v1", 0.75)]
    assert [row["name"] for row in project.results(dataset_version=other)] == ["trained on v2"]
    assert len(project.results()) == 3
