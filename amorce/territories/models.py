"""The map of France as Amorce needs it: communes, intercommunalities and QPV perimeters."""

from django.db import models


class Departement(models.Model):
    code = models.CharField("code", max_length=3, primary_key=True)
    name = models.CharField("nom", max_length=100)
    region_code = models.CharField("code région", max_length=3)
    region_name = models.CharField("région", max_length=100)

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Epci(models.Model):
    """Intercommunality (EPCI à fiscalité propre), identified by its SIREN."""

    siren = models.CharField("SIREN", max_length=9, primary_key=True)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=10)

    class Meta:
        verbose_name = "intercommunalité"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Commune(models.Model):
    code = models.CharField("code INSEE", max_length=5, primary_key=True)
    name = models.CharField("nom", max_length=100)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    epci = models.ForeignKey(
        Epci, on_delete=models.PROTECT, null=True, blank=True, related_name="communes"
    )
    population = models.PositiveIntegerField("population", default=0)
    postcodes = models.CharField("codes postaux", max_length=200, blank=True)

    class Meta:
        verbose_name = "commune"
        ordering = ["name", "code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def postcode_list(self) -> list[str]:
        return self.postcodes.split()


class Generation(models.IntegerChoices):
    """QPV perimeters are redrawn by decree; a check always says which generation it used."""

    QPV_2015 = 2015, "QPV 2015"
    QPV_2024 = 2024, "QPV 2024"


class Qpv(models.Model):
    """A priority neighbourhood's official perimeter for one generation."""

    code = models.CharField("code", max_length=10, unique=True)
    name = models.CharField("nom", max_length=200)
    generation = models.PositiveSmallIntegerField("génération", choices=Generation.choices)
    departement_code = models.CharField("département", max_length=3)
    communes = models.ManyToManyField(Commune, related_name="qpvs", blank=True)
    geometry = models.BinaryField("périmètre (WKB, WGS84)")
    min_longitude = models.FloatField()
    min_latitude = models.FloatField()
    max_longitude = models.FloatField()
    max_latitude = models.FloatField()

    class Meta:
        verbose_name = "quartier prioritaire"
        verbose_name_plural = "quartiers prioritaires"
        ordering = ["generation", "code"]
        indexes = [models.Index(fields=["generation", "departement_code"])]

    def __str__(self):
        return f"{self.code} {self.name}"
