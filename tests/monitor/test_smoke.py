"""The application starts, the registry is loaded, and the login page answers."""

from sqlalchemy import func, select


def test_registry_loaded(app):
    from monitor.extensions import db
    from monitor.registry.models import Municipality, PlanningRegion

    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Municipality)) == 43
        assert db.session.scalar(select(func.count()).select_from(PlanningRegion)) == 5


def test_login_page(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert "Pieslēgties" in response.get_data(as_text=True)  # Latvian by default (the catalog is compiled)
