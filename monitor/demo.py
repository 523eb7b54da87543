"""Demo reference data for the monitor: approximate inhabitants of the seven municipalities (CBS,
1 January 2020, rounded, grown 0.5% a year for the other years) and duration ambitions. A real
installation enters the CBS figures and the policy ambitions in the admin."""

from indications.models import Municipality, Product

from .models import DurationAmbition, Population

INHABITANTS_2020 = {
    "Alblasserdam": 20_100,
    "Dordrecht": 119_100,
    "Hardinxveld-Giessendam": 18_300,
    "Hendrik-Ido-Ambacht": 31_400,
    "Papendrecht": 32_400,
    "Sliedrecht": 25_300,
    "Zwijndrecht": 44_800,
}
AMBITION_WEEKS = {"IB0": 26, "IB1": 52, "IB2": 26, "IB3": 52, "IB4": 52}


def ensure_demo_reference_data(*, last_year: int) -> None:
    for municipality in Municipality.objects.filter(name__in=INHABITANTS_2020):
        # Only the years in which the municipality was a member of the SDD.
        until = municipality.member_until.year if municipality.member_until else last_year
        for year in range(max(2015, municipality.member_from.year), min(until, last_year) + 1):
            Population.objects.get_or_create(
                municipality=municipality,
                year=year,
                defaults={"inhabitants": round(INHABITANTS_2020[municipality.name] * 1.005 ** (year - 2020))},
            )
    for product in Product.objects.filter(code__in=AMBITION_WEEKS):
        DurationAmbition.objects.get_or_create(product=product, defaults={"weeks": AMBITION_WEEKS[product.code]})
