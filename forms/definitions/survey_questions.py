"""Questions of the 2022 municipal survey that the yearly return asks again, with their keys and codes.

Copied from ``survey-baseline.json`` (the reconstructed 2022 questionnaire) so that reports can compare with
2017 and 2022; ``tests/forms/test_survey_alignment.py`` checks this copy against the reference file.
"""

from __future__ import annotations

from ..schema import Choice, Text

# key -> (question LV, question EN, choices)
SURVEY_QUESTIONS: dict[str, tuple[Text, tuple[Choice, ...]]] = {
    'respondent_role': (
        Text('Respondenta amats pašvaldībā (domes priekšsēdētāja vietnieks, izpilddirektors, attīstības un/vai plānošanas nodaļas vadītājs, sabiedrisko attiecību speciālists vai cita vadības deleģēta persona)',
             "Respondent's position in the municipality"),
        (
            Choice('deputy_council_chair', 'Domes priekšsēdētāja vietnieks', 'Deputy chair of the council'),
            Choice('executive_director', 'Izpilddirektors', 'Executive director'),
            Choice('head_development_planning', 'Attīstības un/vai plānošanas nodaļas vadītājs', 'Head of development and/or planning department'),
            Choice('pr_specialist', 'Sabiedrisko attiecību speciālists', 'Public relations specialist'),
            Choice('other_delegated', 'Cita vadības deleģēta persona', 'Other person delegated by management'),
        ),
    ),
    'emigration_active_problem': (
        Text('Vai emigrācija pašvaldībā ir aktīva problēma?',
             'Is emigration an active problem in the municipality?'),
        (
        ),
    ),
    'remigration_promotion_topicality': (
        Text('Cik aktuāla problēma Jūsu pašvaldībā ir aizbraukušo iedzīvotāju atgriešanās (remigrācijas) veicināšana?',
             'How topical (pressing) a problem is promoting the return (remigration) of residents who have left, in your municipality?'),
        (
            Choice('very_topical', 'Ļoti aktuāla', 'Very topical (a very pressing problem)'),
            Choice('rather_topical', 'Drīzāk aktuāla', 'Rather topical'),
            Choice('rather_not_topical', 'Drīzāk neaktuāla', 'Rather not topical'),
            Choice('not_at_all_topical', 'Pilnīgi neaktuāla', 'Not at all topical'),
            Choice('hard_to_say', 'Grūti pateikt', 'Hard to say'),
        ),
    ),
    'return_promotion_revitalises_economy': (
        Text('Vai uzskatāt, ka atgriešanās veicināšana varētu palīdzēt revitalizēt reģiona ekonomisko attīstību?',
             "Do you think promoting return could help revitalise the region's economic development?"),
        (
        ),
    ),
    'support_programmes_needed': (
        Text('Cik lielā mērā, Jūsuprāt, ir nepieciešamas atbalsta programmas, veicinot emigrējušo Latvijas iedzīvotāju atgriešanos Latvijā?',
             'In your opinion, to what extent are support programmes needed to encourage emigrated Latvian residents to return to Latvia?'),
        (
            Choice('very_necessary', 'Ļoti nepieciešamas', 'Very necessary'),
            Choice('rather_necessary', 'Drīzāk nepieciešamas', 'Rather necessary'),
            Choice('rather_not_necessary', 'Drīzāk nav nepieciešamas', 'Rather not necessary'),
            Choice('definitely_not_necessary', 'Noteikti nav nepieciešamas', 'Definitely not necessary'),
            Choice('hard_to_say', 'Grūti pateikt', 'Hard to say'),
        ),
    ),
    'remigration_policy_competence': (
        Text('Vai remigrācijas politika, Jūsuprāt, ir pašvaldību vai valsts kompetence?',
             'In your opinion, is remigration policy a municipal or a state competence?'),
        (
            Choice('municipal_only', 'Tikai pašvaldību kompetence', 'Municipal competence only'),
            Choice('rather_municipal', 'Drīzāk pašvaldību kompetence', 'Rather municipal'),
            Choice('shared_state_municipal', 'Gan valsts, gan pašvaldību (sadarbības modelis, kombinēta pieeja)', 'Both state and municipality (cooperation model / combined approach)'),
            Choice('rather_state', 'Drīzāk valsts kompetence', 'Rather state'),
            Choice('state_only', 'Tikai valsts kompetence', 'State competence only'),
            Choice('hard_to_say', 'Grūti pateikt', 'Hard to say'),
        ),
    ),
    'municipal_role_in_remigration': (
        Text('Cik liela ir pašvaldību loma remigrācijas veicināšanā un labvēlīgas vides radīšanā remigrācijai?',
             'How large is the role of municipalities in promoting remigration and creating a favourable environment for it?'),
        (
            Choice('very_large', 'Ļoti liela loma', 'Very large role'),
            Choice('fairly_large', 'Diezgan liela loma', 'Fairly large role'),
            Choice('fairly_small', 'Diezgan maza loma', 'Fairly small role'),
            Choice('very_small_or_none', 'Ļoti maza loma / nav lomas', 'Very small or no role'),
            Choice('hard_to_say', 'Grūti pateikt', 'Hard to say'),
        ),
    ),
    'planning_docs_include_remigration_measures': (
        Text('Vai pašvaldības attīstības plānošanas dokumentos ir paredzētas aktivitātes vai pasākumi aizbraukušo iedzīvotāju remigrācijas veicināšanai?',
             "Do the municipality's development planning documents provide for activities or measures to promote the remigration of residents who have left?"),
        (
            Choice('yes', 'Jā', 'Yes'),
            Choice('no', 'Nē', 'No'),
            Choice('hard_to_say', 'Grūti pateikt', "Hard to say / don't know"),
        ),
    ),
    'planning_docs_recognise_emigration': (
        Text('Vai pašvaldības attīstības plānošanas dokumentos ir atzīta emigrācijas problemātika?',
             "Do the municipality's development planning documents recognise emigration as a problem?"),
        (
            Choice('yes', 'Jā', 'Yes'),
            Choice('no', 'Nē', 'No'),
            Choice('hard_to_say', 'Grūti pateikt', "Hard to say / don't know"),
        ),
    ),
    'diaspora_involved_in_policy_drafting': (
        Text('Vai remigranti, diasporas locekļi un diasporas organizācijas tiek iesaistīti pašvaldības politikas un plānošanas dokumentu un normatīvo aktu izstrādē?',
             'Are remigrants, diaspora members and diaspora organisations involved in drafting municipal policy and planning documents and regulations?'),
        (
            Choice('yes', 'Jā', 'Yes'),
            Choice('no', 'Nē', 'No'),
            Choice('hard_to_say', 'Grūti pateikt', "Hard to say / don't know"),
        ),
    ),
    'varam_remigration_funding_used': (
        Text('Vai pašvaldība izmantoja VARAM nodrošināto finansējumu remigrācijas atbalsta pasākumu īstenošanai (2018.–2020. g.)?',
             'Did the municipality use the VARAM (ministry) funding for remigration support measures (2018-2020)?'),
        (
            Choice('yes', 'Jā', 'Yes'),
            Choice('no', 'Nē', 'No'),
            Choice('hard_to_say', 'Grūti pateikt', "Hard to say / don't know"),
        ),
    ),
    'state_support_sufficiency_score': (
        Text('Novērtējiet valsts sniegtā atbalsta remigrācijas veicināšanai pietiekamību (11 ballu skalā)',
             'Rate the sufficiency of state support for promoting remigration (11-point scale)'),
        (
        ),
    ),
    'eu_state_grant_uptake_score': (
        Text('Novērtējiet, kādā mērā pašvaldība izmanto iespējas pieteikties Eiropas un Latvijas valsts grantiem ekonomikas un uzņēmējdarbības atbalstam',
             'Rate the extent to which the municipality uses opportunities to apply for EU and Latvian state grants for economic and business support'),
        (
        ),
    ),
    'business_grant_instruments': (
        Text('Kādi tiešie atbalsta instrumenti grantu veidā pieejami uzņēmējdarbības atbalstam un darbavietu izveidei Jūsu pašvaldībā?',
             'Which direct support instruments in the form of grants are available in your municipality for business support and job creation?'),
        (
        ),
    ),
    'measures_5y_count_business_grants': (
        Text('Cik pasākumu pēdējo piecu gadu laikā pašvaldība īstenojusi: tiešie atbalsta instrumenti grantu veidā uzņēmējdarbības atbalstam',
             'Number of measures in the last five years: direct grant-type support instruments for business'),
        (
        ),
    ),
    'measures_5y_count_job_creation': (
        Text('Cik pasākumu pēdējo piecu gadu laikā: atbalsts darbavietu izveidei',
             'Number of measures in the last five years: support for job creation'),
        (
        ),
    ),
    'measures_5y_count_housing': (
        Text('Cik pasākumu pēdējo piecu gadu laikā: atbalsts dzīvojamajam fondam',
             'Number of measures in the last five years: support for the housing (dwelling) stock'),
        (
        ),
    ),
    'measures_5y_count_diaspora_ties': (
        Text('Cik pasākumu pēdējo piecu gadu laikā: pašvaldību veiktās aktivitātes saiknes uzturēšanai ar diasporu',
             'Number of measures in the last five years: municipal activities to maintain ties with the diaspora'),
        (
        ),
    ),
    'measures_5y_count_other': (
        Text('Cik pasākumu pēdējo piecu gadu laikā: cita veida aktivitātes',
             'Number of measures in the last five years: other activities'),
        (
        ),
    ),
    'measures_5y_types': (
        Text('Vai pašvaldība pēdējo piecu gadu laikā ir organizējusi konkrētus remigrāciju veicinošus pasākumus? Kādus?',
             'Has the municipality organised specific remigration-promoting measures in the last five years? Which ones?'),
        (
            Choice('business_start_support', 'Atbalsts uzņēmējdarbības uzsākšanai', 'Support for starting a business'),
            Choice('training_support', 'Atbalsts mācībām', 'Support for training / learning'),
            Choice('emigrant_database', 'Aizbraukušo iedzīvotāju datubāzes veidošana', 'Building a database of residents who have left'),
            Choice('cooperation_events_with_emigrants', 'Sadarbības pasākumi ar aizbraukušajiem pašvaldības iedzīvotājiem (salidojumi, nometnes u. c.)', 'Cooperation events with residents who have left (reunions, camps, etc.)'),
            Choice('support_for_returning_families_pupils', 'Atbalsta pasākumi tiem, kas vēlas atgriezties (skolēniem u. tml.)', 'Support measures for those wishing to return (schoolchildren, etc.)'),
            Choice('housing_support', 'Atbalsts remigrantiem mājokļa nodrošināšanā', 'Support for remigrants in securing housing'),
            Choice('job_search_support', 'Atbalsts darba meklēšanā', 'Job-search support'),
            Choice('website_information', 'Informācija par atgriešanos un atbalsta pakalpojumiem pašvaldības mājaslapā', 'Information on return and support services on the municipal website'),
            Choice('meetings_with_diaspora_abroad', 'Pašvaldības vadītāju personīgas tikšanās ar diasporu ārvalstīs', 'Personal meetings of municipal leaders with the diaspora abroad'),
            Choice('designated_contact_person', 'Norīkota īpaša atbalsta kontaktpersona darbam ar remigrantiem', 'Designated support contact person for remigrants'),
            Choice('other', 'Cits (piem., neformālas sarunas, domubiedru grupas sociālajos medijos, e-pasta vēstules, skola remigrantu bērniem)', 'Other (e.g. informal talks, social-media groups, e-mail letters, a school for remigrant children)'),
        ),
    ),
    'support_offered_to_remigrants': (
        Text('Kāda veida atbalsts remigrantiem tiek piedāvāts?',
             'What kind of support is offered to remigrants?'),
        (
        ),
    ),
    'business_support_gaps_needs': (
        Text('Kā pietrūkst un kas būtu nepieciešams un palīdzētu uzņēmējdarbības veicināšanai?',
             'What is lacking, and what would be needed and would help to promote business?'),
        (
        ),
    ),
    'housing_shortage_topicality': (
        Text('Cik aktuāla problēma Jūsu pašvaldībā ir piemērotu mājokļu trūkums?',
             'How topical (pressing) a problem is the shortage of suitable housing in your municipality?'),
        (
            Choice('very_topical', 'Ļoti aktuāla', 'Very topical (a very pressing problem)'),
            Choice('rather_topical', 'Drīzāk aktuāla', 'Rather topical'),
            Choice('rather_not_topical', 'Drīzāk neaktuāla', 'Rather not topical'),
            Choice('not_at_all_topical', 'Pilnīgi neaktuāla', 'Not at all topical'),
            Choice('hard_to_say', 'Grūti pateikt', 'Hard to say'),
        ),
    ),
    'remigration_budget_change_since_2017': (
        Text('Kā mainījies pašvaldības budžetā remigrācijas aktivitātēm paredzēto līdzekļu apjoms, salīdzinot 2022. un 2017. gadu?',
             'How has the amount in the municipal budget for remigration activities changed between 2017 and 2022?'),
        (
            Choice('increased', 'Palielinājies', 'Increased'),
            Choice('unchanged', 'Nav mainījies', 'Unchanged'),
            Choice('decreased', 'Samazinājies', 'Decreased'),
            Choice('no_budget', 'Nav un nebija paredzēts', 'No such budget line then or now'),
            Choice('hard_to_say', 'Grūti pateikt', 'Hard to say'),
        ),
    ),
    'remigration_budget_eur_2022': (
        Text('Pašvaldības budžetā remigrācijas aktivitātēm paredzētais finansējums 2022. gadā (eiro gadā)',
             'Municipal budget for remigration activities in 2022 (EUR per year)'),
        (
        ),
    ),
    'plans_measures_next_5y': (
        Text('Vai plānots, ka (arī) tuvākajos piecos gados pašvaldības teritorijā tiks īstenoti pasākumi aizbraukušo iedzīvotāju remigrācijas veicināšanai?',
             'Is it planned that (also) in the next five years measures to promote the remigration of residents who have left will be implemented in the municipality?'),
        (
            Choice('yes', 'Jā', 'Yes'),
            Choice('no', 'Nē', 'No'),
            Choice('hard_to_say', 'Grūti pateikt', "Hard to say / don't know"),
        ),
    ),
    'planned_measures_next_5y': (
        Text('Kādi pasākumi plānoti nākamajos piecos gados?',
             'Which measures are planned for the next five years?'),
        (
        ),
    ),
    'reasons_no_planned_measures': (
        Text('Kāpēc pasākumi netiek plānoti?',
             'Why are no measures planned?'),
        (
            Choice('no_national_policy', 'Vienotas valsts politikas trūkums', 'Lack of a unified national policy'),
            Choice('lack_of_funding', 'Finansējuma trūkums', 'Lack of funding'),
            Choice('no_remigrant_demand', 'Nav remigrantu pieprasījuma', 'No demand from remigrants'),
            Choice('no_housing_stock', 'Nav dzīvojamā fonda', 'No housing stock'),
            Choice('population_growing', 'Pozitīva iedzīvotāju skaita tendence', 'Population already growing'),
            Choice('remigration_happens_unaided', 'Remigrācija notiek patstāvīgi, palīdzība nav vajadzīga', 'Remigration happens on its own, no help needed'),
            Choice('geopolitical_priorities', 'Ģeopolitiskie faktori', 'Geopolitical factors push remigration down the agenda'),
        ),
    ),
    'reasons_no_remigration_measures': (
        Text('Kāpēc pašvaldība neīsteno atbalsta pasākumus remigrācijas veicināšanai?',
             'Why does the municipality not implement support measures to promote remigration?'),
        (
            Choice('can_return_unaided', 'Iedzīvotāji, kuri to vēlēsies, var atgriezties pašu spēkiem', 'Those who want to can return on their own'),
            Choice('lack_of_finance', 'Finanšu resursu trūkums', 'Lack of financial resources'),
            Choice('not_municipal_function', 'Tā nav pašvaldības funkcija', 'Not a municipal function'),
            Choice('lack_of_specialists', 'Trūkst speciālistu šāda atbalsta sniegšanai', 'Lack of specialists to provide such support'),
            Choice('no_examples', 'Nav piemēru, kā veicināt atgriešanos', 'No examples of how to encourage return'),
            Choice('other', 'Cits', 'Other'),
        ),
    ),
    'interest_in_other_municipalities_measures': (
        Text('Vai ir interese par citu pašvaldību (veiksmīgajiem remigrācijas) pasākumiem?',
             "Are you interested in other municipalities' (successful remigration) measures?"),
        (
            Choice('yes', 'Jā, būtu interese', 'Yes, would be interested'),
            Choice('some', 'Jā, būtu zināma interese', 'Yes, some interest'),
            Choice('little', 'Būtu neliela interese', 'Little interest'),
            Choice('none', 'Nebūtu intereses', 'No interest'),
            Choice('hard_to_say', 'Grūti pateikt', 'Hard to say'),
        ),
    ),
    'info_exchange_with_other_municipalities': (
        Text('Vai notiek informācijas apmaiņa (remigrācijas jautājumos) ar citām pašvaldībām?',
             'Is there an exchange of information (on remigration) with other municipalities?'),
        (
            Choice('yes', 'Jā', 'Yes'),
            Choice('no', 'Nē', 'No'),
            Choice('hard_to_say', 'Grūti pateikt', "Hard to say / don't know"),
        ),
    ),
    'regional_coordinator_cooperation': (
        Text('Kā vērtējat pašvaldības komunikāciju un sadarbību ar reģionālo remigrācijas koordinatoru?',
             "How do you rate the municipality's communication and cooperation with the regional remigration coordinator?"),
        (
            Choice('very_good', 'Ļoti laba', 'Very good'),
            Choice('good', 'Laba', 'Good'),
            Choice('neutral', 'Neitrāla', 'Neutral'),
            Choice('not_very_good', 'Ne visai laba', 'Not very good'),
            Choice('bad', 'Slikta', 'Bad'),
            Choice('no_cooperation', 'Sadarbība nav izveidojusies', 'No cooperation established'),
            Choice('hard_to_say', 'Grūti pateikt', 'Hard to say'),
        ),
    ),
    'has_remigration_coordinator': (
        Text('Vai pašvaldībā ir remigrācijas koordinators?',
             'Does the municipality have a remigration coordinator?'),
        (
            Choice('yes', 'Jā', 'Yes'),
            Choice('no', 'Nē', 'No'),
            Choice('hard_to_say', 'Grūti pateikt', "Hard to say / don't know"),
        ),
    ),
    'inquiry_routing': (
        Text('Pie kā pašvaldība sūta gūt atbildi un palīdzību, ja potenciālais remigrants vēršas pašvaldībā?',
             'To whom does the municipality refer a potential remigrant who contacts it, for answers and help?'),
        (
            Choice('municipal_remigration_coordinator', 'Pašvaldības remigrācijas koordinators', "The municipality's remigration coordinator"),
            Choice('specialist_with_remigration_duties', 'Cits pašvaldības speciālists, starp kura pienākumiem ir remigrācijas jautājumi', 'Another municipal specialist whose duties include remigration'),
            Choice('competent_specialist', 'Cits konkrētajā jautājumā kompetents pašvaldības speciālists', 'Another municipal specialist competent in the specific question'),
            Choice('regional_coordinator', 'Lūdzam interesēties pie reģionālā remigrācijas koordinatora', 'We ask them to contact the regional remigration coordinator'),
            Choice('other', 'Cits', 'Other'),
        ),
    ),
    'maintains_contact_with_emigrants': (
        Text('Vai tiek uzturēta saikne ar aizbraukušajiem?',
             'Does the municipality maintain contact with residents who have left?'),
        (
            Choice('yes', 'Jā', 'Yes'),
            Choice('no', 'Nē', 'No'),
            Choice('hard_to_say', 'Grūti pateikt', "Hard to say / don't know"),
        ),
    ),
    'tracks_returnee_information': (
        Text('Vai pašvaldība uzkrāj informāciju par personām, kas pēdējo piecu gadu laikā atgriezušās pašvaldības teritorijā?',
             'Does the municipality collect information on people who returned to its territory in the last five years?'),
        (
            Choice('yes', 'Jā', 'Yes'),
            Choice('no', 'Nē', 'No'),
            Choice('hard_to_say', 'Grūti pateikt', "Hard to say / don't know"),
        ),
    ),
    'published_documents_links': (
        Text('Lūdzu, norādiet publicētus pašvaldības dokumentus vai atsūtiet citus datus par to, kā pašvaldība veicina uzņēmējdarbību, darbaspēka piesaisti un remigrāciju',
             'Please point to published municipal documents, or send other data, on how the municipality promotes business, labour attraction and remigration'),
        (
        ),
    ),
    'referral_contacts': (
        Text('Lūdzu, iesakiet citus pašvaldības speciālistus, uzņēmējus, izglītības iestāžu vai sociālo dienestu pārstāvjus vai remigrantus, kuri varētu sniegt papildu informāciju',
             'Please recommend other municipal specialists, entrepreneurs, representatives of schools or social services, or remigrants who could give more information'),
        (
        ),
    ),
}
