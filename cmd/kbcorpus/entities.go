package main

// entity is a fixed page of the rollen/, vaardigheden/ or programmatypen/
// section, with the slug and title the kennisbank content format names.
type entity struct {
	slug, title string
}

// roles returns the ten roles of content-format.md.
func roles() []entity {
	return []entity{
		{"contractant-van-het-leren", "Contractant van het leren"},
		{"hoeder-van-de-leercondities", "Hoeder van de leercondities"},
		{"begeleider-van-de-leergroep", "Begeleider van de leergroep"},
		{"lezer-van-systeemdynamiek", "Lezer van systeemdynamiek"},
		{"brug-tussen-docenten-en-deelnemers", "Brug tussen docenten en deelnemers"},
		{"medeontwerper-in-het-cocreatieteam", "Medeontwerper in het cocreatieteam"},
		{"begeleider-van-actieleren", "Begeleider van actieleren"},
		{"coach-en-beoordelaar", "Coach én beoordelaar"},
		{"regisseur-en-verbeteraar", "Regisseur en verbeteraar van het programma"},
		{"vakgenoot-in-de-collectieve-dialoog", "Vakgenoot in de collectieve dialoog"},
	}
}

// skills returns the twenty skills of content-format.md, in their order;
// a skill's weight is its position, counting from 1.
func skills() []entity {
	return []entity{
		{"psychologisch-contracteren", "Psychologisch contracteren"},
		{"condities-scheppen", "Condities scheppen"},
		{"groepsdynamisch-waarnemen", "Groepsdynamisch waarnemen en interveniëren"},
		{"systemisch-kijken", "Systemisch kijken"},
		{"klantcontext-kennen", "Klantcontext door en door kennen"},
		{"adaptief-ontwerpen", "Adaptief ontwerpen"},
		{"samenwerken-in-het-cocreatieteam", "Samenwerken in het cocreatieteam"},
		{"docenten-laten-landen", "Docenten laten landen"},
		{"actieleren-begeleiden", "Actieleren begeleiden"},
		{"espoused-theory-bespreekbaar-maken", "Espoused theory en theory-in-use bespreekbaar maken"},
		{"eigenaarschap-teruggeven", "Eigenaarschap teruggeven"},
		{"individueel-coachen", "Individueel coachen en feedback geven"},
		{"beoordelen", "Beoordelen"},
		{"zelfreflectie", "Zelfreflectie: jezelf als instrument"},
		{"dialoog-faciliteren", "Dialoog faciliteren"},
		{"organiseren-en-regisseren", "Organiseren en regisseren"},
		{"werken-met-onvrijwillige-groepen", "Werken met onvrijwillige en bekeken groepen"},
		{"hierarchie-en-meerdere-doelgroepen", "Hanteren van hiërarchie en meerdere doelgroepen"},
		{"inhoudelijke-vakexpertise", "Inhoudelijke vakexpertise"},
		{"collectieve-vakontwikkeling", "Bijdragen aan collectieve vakontwikkeling"},
	}
}

// programmeTypes returns the four programme types of content-format.md.
func programmeTypes() []entity {
	return []entity{
		{"open-programma", "Open programma"},
		{"confectie-maatwerk", "Incompany confectie-maatwerk"},
		{"couture-maatwerk", "Incompany couture-maatwerk"},
		{"leiderschap-en-organisatieontwikkeling", "Leiderschaps- en organisatieontwikkelingstrajecten"},
	}
}

// criteriaKeys returns the eight [criteria] keys of a programme type, in
// the order they are written.
func criteriaKeys() []string {
	return []string{
		"groepssamenstelling", "hierarchie", "focus", "systeemdynamiek",
		"vrijwilligheid", "blootstelling", "ontwerp", "opdrachtgever",
	}
}

// levels returns the [vaardigheden] levels, strongest first.
func levels() []string {
	return []string{"kern", "belangrijk", "ondersteunend"}
}

// bulkSection describes one of the sections that hold most pages.
type bulkSection struct {
	dir, title string
	kind       kind
	share      int      // percentage of the bulk pages
	prefix     string   // title of a subfolder: prefix + theme
	themes     []string // subfolder names, used in order
}

// bulkSections returns artikelen/, reflecties/ and dialoog/ with the share
// of pages each gets; the shares add up to 100.
func bulkSections() []bulkSection {
	return []bulkSection{
		{"artikelen", "Artikelen", kindArticle, 60, "Artikelen over ", []string{
			"contractering", "groepsprocessen", "programmaontwerp", "begeleiding",
			"beoordeling", "systeemdenken", "organisatie", "vakontwikkeling",
			"didactiek", "leiderschap", "samenwerking", "kwaliteitszorg",
			"praktijkleren", "feedbackcultuur", "opdrachtgeverschap", "leerklimaat",
		}},
		{"reflecties", "Reflecties", kindReflection, 25, "Reflecties: ", []string{
			"praktijkverhalen", "eerste-keren", "lastige-momenten", "terugblikken",
			"leerervaringen", "kantelpunten",
		}},
		{"dialoog", "Dialoog", kindQuestion, 15, "Dialoog: ", []string{
			"vragen-over-groepen", "vragen-over-opdrachtgevers", "vragen-over-docenten",
			"vragen-over-beoordelen", "vragen-over-ontwerp", "vragen-over-het-vak",
		}},
	}
}
