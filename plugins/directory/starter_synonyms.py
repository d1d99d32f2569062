"""A starter set of bilingual synonym groups for common needs, so that a search for "nourriture"
finds the food bank described in English. Administrators edit them under *Search synonyms*.

Loaded by the migration that created them (a new installation and existing ones alike) and by
``passerelle directory load-synonyms``; never over groups an administrator already has."""

from __future__ import annotations

from sqlalchemy import column, func, insert, select, table

# The table as the migrations know it (the migration that loads the groups must not depend on
# today's models); that migration ran before the plugin's rename and names the table it knew.
TABLE = "directory_synonym_groups"

# Single words mostly: every word of a group is a synonym of every other, so a generic word
# ("aide", "family", "care") would join unrelated needs.
STARTER_GROUPS = (
    "nourriture, food, banque alimentaire, épicerie, groceries, repas, meals",
    "logement, housing, abri, shelter, hébergement, refuge",
    "itinérance, homelessness, sans-abri, homeless",
    "santé, health, clinique, clinic, médecin, doctor, infirmière, nurse",
    "mental, psychologique, psychological, counselling, counseling, détresse, distress, crise, crisis",
    "dépendance, addiction, toxicomanie, alcool, alcohol, drogue, drugs",
    "violence, abus, abuse, agression, assault",
    "emploi, employment, travail, job, work, chômage, unemployment",
    "formation, training, éducation, education, cours, courses, école, school",
    "juridique, legal, avocat, lawyer, droit, law",
    "argent, money, financière, financial, revenu, income, prestations, benefits",
    "vêtements, clothing, clothes, habits",
    "enfants, children, garderie, daycare, parents, parenting",
    "jeunes, youth, adolescents, teens",
    "aînés, seniors, elders, âgées, elderly",
    "transport, transportation, déplacement, travel",
    "interprète, interpreter, interprétation, interpretation, traduction, translation",
    "deuil, grief, bereavement, décès, death",
    "suicide, suicidaire, suicidal",
    "chauffage, heating, électricité, electricity, énergie, energy",
    "immigrants, newcomers, arrivants, réfugiés, refugees",
    "handicap, disability, accessibilité, accessibility",
)


def load_starter_synonyms(connection, table_name: str = TABLE) -> int:
    """Add the starter groups when there is none yet; returns how many were added."""
    synonym_groups = table(table_name, column("words"))
    if connection.execute(select(func.count()).select_from(synonym_groups)).scalar():
        return 0
    connection.execute(insert(synonym_groups), [{"words": words} for words in STARTER_GROUPS])
    return len(STARTER_GROUPS)
