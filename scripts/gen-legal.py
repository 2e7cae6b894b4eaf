#!/usr/bin/env python3
"""Generate src/unicode/legal_table.inc (legal forms and organisation words) and the family
tables of docs/LEGAL_FORMS.md from the lists below. Run from the repository root:
    python3 scripts/gen-legal.py            # rewrites both files
    python3 scripts/gen-legal.py --check    # exits 1 when either file is stale

Latin phrases are written as the pipeline hands them over: lower-case ASCII tokens after
folding and transliteration (Cyrillic by BGN, Arabic and Persian by ICU's Any-Latin), one space
between tokens. "{a|b}" expands to each alternative (an alternative may hold spaces, for
spellings that some systems split into two tokens). A leading "?" marks a phrase that is also
an ordinary word, initial or name part somewhere (see docs/LEGAL_FORMS.md, "Risky tokens").
Han, Kana and Hangul phrases are written in their own script.
"""
import itertools
import re
import sys

# ----------------------------------------------------------------------------- legal forms
# (canonical token, class, [(jurisdiction or language, [phrases])])
# Classes: company (capital companies of every kind), partnership, sole (sole trader),
# coop (cooperative), state (state or municipal unitary enterprise and budget institution).
FORMS = [
    ("ltd", "company", [
        ("United Kingdom, Ireland, Hong Kong, Commonwealth", [
            "ltd", "limited", "{co|company} {ltd|limited}", "limited company",
            "private limited company", "ltd co", "private limited", "?pvt",
            "pvt ltd", "pvt limited", "private ltd"]),
        ("Singapore", ["pte ltd", "pte limited", "?pte"]),
        ("Australia, South Africa", ["pty ltd", "pty limited", "proprietary limited", "?pty"]),
        ("Malaysia, Brunei", ["sdn bhd", "sendirian berhad"]),
        ("Brazil, Portugal, Colombia", ["ltda", "limitada", "cia ltda"]),
        ("Turkey", ["ltd sti", "limited sirketi", "ltd sirketi", "limited sti"]),
        ("Arabic (ICU)", ["almhdwdt", "mhdwdt"]),
        ("Japan (romaji)", ["yugen {kaisha|gaisha}", "?yk"]),
        ("Korea (romanised)", ["yuhan hoesa", "yuhanhoesa"]),
        ("China (pinyin)", ["youxian gongsi", "you xian gong si",
                            "youxian zeren gongsi", "you xian ze ren gong si"]),
    ]),
    ("llc", "company", [
        ("United States, UAE, general", [
            "llc", "l l c", "limited liability {company|co}", "?wll", "w l l",
            "with limited liability", "fz llc", "fz l l c"]),
        ("Russia (BGN and list spellings)", [
            "?ooo", "o o o",
            "{obshchestvo|obschestvo|obshestvo|obshcestvo} s "
            "{ogranichennoy|ogranichennoi|ogranichennoj|ogrannichennoi} "
            "{otvetstvennostyu|otvetstvennostiu|otvetstvennostju|otvet stvennostyu|"
            "otvetstvennost yu|otvet stvennost yu}",
        ]),
        ("Ukraine", [
            "?tov", "{tovarystvo|tovaristvo} z {obmezhenoyu|obmezhenoiu} "
            "{vidpovidalnistyu|vidpovidalnistiu|vidpovidal nistyu}"]),
        ("Kazakhstan, Kyrgyzstan", [
            "?too", "tovarishchestvo s {ogranichennoy|ogranichennoi} "
            "{otvetstvennostyu|otvetstvennostiu|otvet stvennostyu|otvetstvennost yu|"
            "otvet stvennost yu}"]),
        ("Uzbekistan", ["mchj", "mchzh"]),
        ("Azerbaijan", ["?mmc"]),
        ("Belarus", ["?odo"]),
        ("Poland", ["sp z o o", "sp z oo", "spolka z o o",
                    "spolka z ograniczona odpowiedzialnoscia"]),
        ("Czech Republic, Slovakia", ["s r o", "spol s r o", "sro",
                                      "spolecnost s rucenim omezenym",
                                      "spolocnost s rucenim obmedzenym"]),
        ("Former Yugoslavia, Slovenia", ["d o o", "doo", "drustvo s ogranicenom odgovornoscu"]),
        ("Bulgaria", ["ood", "eood", "druzhestvo s ogranichena otgovornost"]),
        ("Arabic (ICU and Latin)", ["dhat {mswwlyt|almswwlyt} {mhdwdt|almhdwdt}",
                                    "dhat masuliya mahduda"]),
        ("Japan (romaji)", ["godo {kaisha|gaisha}"]),
    ]),
    ("jsc", "company", [
        ("English", ["jsc", "j s c", "ojsc", "cjsc", "pjsc", "?pjs",
                     "{open|closed|public|private|} joint stock {company|co}",
                     "company limited by shares", "joint stock company limited",
                     "joint stock"]),
        ("Russia (BGN and list spellings)", [
            "?ao", "zao", "oao", "?pao", "?nao",
            "{|otkrytoye|otkrytoe|zakrytoye|zakrytoe|publichnoye|publichnoe|nepublichnoye|"
            "nepublichnoe} {aktsionernoye|aktsionernoe|aktsionernoj|aktsionernoi} "
            "{obshchestvo|obschestvo|obshestvo|obshcestvo|obschchestvo}"]),
        ("Ukraine", ["?pat", "?prat", "?vat", "zat", "?pao",
                     "{|publichne|pryvatne|privatne|vidkryte|zakryte} "
                     "{aktsionerne|akcionerne} {tovarystvo|tovaristvo}"]),
        ("Bulgaria, North Macedonia, Serbia", ["?ad", "ead", "a d"]),
        ("Hungary", ["zrt", "nyrt"]),
        ("Lithuania", ["uab"]),
        ("Gulf states", ["psc", "qpsc", "qsc", "ksc", "kscc", "kscp", "saog", "saoc", "bsc"]),
        ("Iran (Persian)", ["sahami {khas|khass|khaas|am|aam}", "shamy {khas|am}"]),
        ("Korea (romanised)", ["{jusik|chusik} hoesa", "{jusikhoesa|jusighoesa|chusikhoesa}"]),
        ("China (pinyin)", ["gufen youxian gongsi", "gu fen you xian gong si"]),
    ]),
    ("inc", "company", [
        ("United States, Canada, Philippines", ["inc", "incorporated"]),
    ]),
    ("corp", "company", [
        ("United States, Japan, China, Korea (English)", ["corp", "corporation"]),
        ("Spanish, Portuguese, Russian", ["corporacion", "corporacao", "korporatsiya",
                                          "korporatsiia", "korporacija"]),
    ]),
    ("plc", "company", [
        ("United Kingdom, Ireland, Commonwealth", ["plc", "p l c", "public limited company",
                                                   "public company limited"]),
    ]),
    ("gmbh", "company", [
        ("Germany, Austria, Switzerland", ["gmbh", "ges m b h", "gesmbh",
                                           "gesellschaft mit {beschrankter|beschraenkter} "
                                           "haftung"]),
    ]),
    ("ag", "company", [
        ("Germany, Austria, Switzerland", ["?ag", "aktiengesellschaft"]),
    ]),
    ("sa", "company", [
        ("France, Belgium, Switzerland, Luxembourg", ["?sa", "?s a", "societe anonyme"]),
        ("Spain, Latin America", ["sociedad anonima", "s a de c v", "sa de cv",
                                  "sab de cv", "s a b de c v", "sapi de cv",
                                  "sociedad anonima de capital variable", "?s a c", "?saic",
                                  "?saa"]),
        ("Portugal, Brazil", ["sociedade anonima"]),
        ("Lebanon", ["?sal", "s a l", "sal offshore", "sal off shore", "sal holding"]),
        ("Egypt", ["?sae", "s a e"]),
        ("Greece", ["anonymi etaireia"]),
    ]),
    ("sarl", "company", [
        ("France, Luxembourg, Morocco, Lebanon, Switzerland", [
            "sarl", "s a r l", "eurl", "sprl", "societe a responsabilite limitee"]),
    ]),
    ("sas", "company", [
        ("France, Colombia", ["sas", "s a s", "sasu", "s a s u",
                              "societe par actions simplifiee",
                              "sociedad por acciones simplificada"]),
    ]),
    ("srl", "company", [
        ("Italy, Romania, Moldova, Latin America", [
            "srl", "s r l", "societa a responsabilita limitata",
            "societate cu raspundere limitata", "s de rl", "s de r l",
            "sociedad de responsabilidad limitada"]),
        ("Spain", ["?sl", "?s l", "sociedad limitada"]),
    ]),
    ("spa", "company", [
        ("Italy", ["?spa", "s p a", "societa per azioni"]),
    ]),
    ("bv", "company", [
        ("Netherlands, Belgium", ["?bv", "b v", "besloten vennootschap"]),
    ]),
    ("nv", "company", [
        ("Netherlands, Belgium, Curacao", ["?nv", "n v", "naamloze vennootschap"]),
    ]),
    ("ab", "company", [
        ("Sweden, Finland", ["?ab", "a b", "aktiebolag", "aktiebolaget", "publ ab"]),
    ]),
    ("as", "company", [
        ("Norway, Denmark, Estonia, Czech Republic, Turkey", [
            "?as", "?a s", "aksjeselskap", "aktieselskab", "aktieselskabet", "aktsiaselts",
            "akciova spolecnost", "anonim {sirketi|sirket}", "?anonim"]),
    ]),
    ("asa", "company", [
        ("Norway", ["?asa", "allmennaksjeselskap"]),
    ]),
    ("oy", "company", [
        ("Finland", ["?oy", "oyj", "osakeyhtio", "julkinen osakeyhtio"]),
    ]),
    ("kft", "company", [
        ("Hungary", ["kft", "korlatolt felelossegu tarsasag"]),
    ]),
    ("bhd", "company", [
        ("Malaysia, Brunei (public)", ["bhd", "berhad"]),
    ]),
    ("pt", "company", [
        ("Indonesia", ["?pt", "perseroan terbatas"]),
    ]),
    ("tbk", "company", [
        ("Indonesia (listed)", ["tbk", "terbuka"]),
    ]),
    ("kk", "company", [
        ("Japan", ["kabushiki {kaisha|gaisha}", "{kabushikikaisha|kabushikigaisha}", "?kk",
                   "k k"]),
    ]),
    ("fze", "company", [
        ("United Arab Emirates", ["fze", "f z e", "free zone establishment"]),
    ]),
    ("fzco", "company", [
        ("United Arab Emirates", ["fzco", "fzc", "f z c", "f z co", "fz co",
                                  "free zone company"]),
    ]),
    ("dmcc", "company", [
        ("United Arab Emirates (Dubai Multi Commodities Centre)", ["dmcc"]),
    ]),
    ("lp", "partnership", [
        ("Common law", ["lp", "l p", "limited partnership"]),
        ("Germany, Austria", ["?kg", "kommanditgesellschaft", "gmbh co kg", "gmbh and co kg",
                              "ag co kg"]),
        ("France, Belgium", ["scs", "societe en commandite simple"]),
    ]),
    ("llp", "partnership", [
        ("Common law", ["llp", "l l p", "limited liability partnership"]),
    ]),
    ("gp", "partnership", [
        ("Common law", ["general partnership"]),
        ("Germany", ["ohg", "offene handelsgesellschaft", "gbr"]),
        ("France, Italy", ["snc", "societe en nom collectif", "societa in nome collettivo"]),
        ("Russia", ["polnoye tovarishchestvo", "polnoe tovarishchestvo"]),
    ]),
    ("coop", "coop", [
        ("General", ["coop", "cooperative", "co operative", "cooperativa", "cooperative society",
                     "kooperativ", "cooperatie", "proizvodstvennyy kooperativ",
                     "genossenschaft"]),
    ]),
    ("ip", "sole", [
        ("Russia, Kazakhstan", ["?ip", "individualnyy predprinimatel",
                                "individualny predprinimatel", "individualnyi predprinimatel"]),
        ("Ukraine", ["fop", "fizychna osoba pidpryiemets"]),
        ("English", ["sole proprietorship", "sole trader"]),
    ]),
    ("gup", "state", [
        ("Russia", ["gup", "fgup", "mup", "{federalnoye|federalnoe|} "
                    "{gosudarstvennoye|gosudarstvennoe} {unitarnoye|unitarnoe} "
                    "{predpriyatiye|predpriyatie}",
                    "{munitsipalnoye|munitsipalnoe} {unitarnoye|unitarnoe} "
                    "{predpriyatiye|predpriyatie}",
                    "{federal|} state unitary enterprise"]),
        ("Ukraine", ["?dp", "derzhavne pidpryiemstvo", "derzhavne pidpryyemstvo"]),
    ]),
    ("gbu", "state", [
        ("Russia", ["fgbu", "gbu", "fgbou", "fgku", "{federal|} state budgetary institution",
                    "{federalnoye|federalnoe|} {gosudarstvennoye|gosudarstvennoe} "
                    "{byudzhetnoye|byudzhetnoe} {uchrezhdeniye|uchrezhdenie}"]),
    ]),
]

# ----------------------------------------------------------------------------- org words
# (canonical English words, [(language, [phrases])])
ORGS = [
    ("company", [
        ("English", ["?co", "company", "?cos", "companies"]),
        ("Spanish, Portuguese, Italian", ["compania", "companhia", "compagnia", "?cia",
                                          "sociedad", "sociedade", "societa"]),
        ("French", ["compagnie", "?cie", "societe"]),
        ("German, Dutch", ["gesellschaft", "maatschappij"]),
        ("Russian", ["kompaniya", "kompaniia", "kompania", "kompanii", "obshchestvo",
                     "obschestvo"]),
        ("Turkish", ["sirketi", "sirket", "?sti"]),
        ("Arabic, Persian", ["shrkt", "alshrkt", "sharikat", "sharika", "sharikah",
                             "sherkat", "shirkat", "sherkate"]),
        ("Korean (romanised)", ["hoesa"]),
    ]),
    ("group", [
        ("English", ["group", "groups"]),
        ("Spanish, Portuguese, Italian, French", ["grupo", "gruppo", "groupe"]),
        ("German", ["gruppe"]),
        ("Russian", ["gruppa", "grupp", "gruppy"]),
        ("Turkish", ["grubu"]),
        ("Arabic, Persian", ["mjmwt", "almjmwt", "majmuat", "majmouat", "majmoua", "grwh",
                             "gorooh", "gorouh", "gruh"]),
    ]),
    ("bank", [
        ("English, German, Russian, Persian", ["bank", "banka", "banke"]),
        ("French", ["banque"]),
        ("Spanish, Portuguese, Italian", ["banco", "banca"]),
        ("Turkish", ["bankasi"]),
        ("Arabic", ["bnk", "albnk", "msrf", "almsrf", "masraf", "al masraf"]),
    ]),
    ("commercial bank", [
        ("Russian", ["kommercheskiy bank", "kommercheski bank", "kommercheskii bank",
                     "akb", "aktsionernyy kommercheskiy bank", "aktsionerny kommercheskiy bank"]),
        ("English", ["commercial bank"]),
    ]),
    ("holding", [
        ("English", ["holding", "holdings"]),
        ("Russian", ["kholding", "holding", "kholdingovaya"]),
        ("Turkish", ["holding"]),
        ("Arabic, Persian", ["qabdt", "alqabdt", "hldyng", "al qabida", "alqabida"]),
    ]),
    ("trading", [
        ("English", ["trading", "trade", "traders"]),
        ("Spanish, Portuguese, French, Italian", ["comercio", "commerce", "commercio",
                                                  "negoce"]),
        ("Turkish", ["ticaret", "tic"]),
        ("Russian", ["torgovlya", "torgovyy dom", "torgovy dom", "trading house"]),
        ("Arabic, Persian", ["tjart", "lltjart", "altjart", "tijarat", "tejarat",
                             "bazargani", "bazrgany"]),
    ]),
    ("commercial", [
        ("English, French", ["commercial", "commerciale"]),
        ("Spanish, Portuguese", ["comercial", "comerciale"]),
        ("Arabic", ["tjaryt", "altjaryt", "tijariya", "al tijariya"]),
    ]),
    ("import export", [
        ("English", ["import export", "import and export", "imp exp", "impex", "import exp",
                     "imports exports"]),
        ("Spanish, Portuguese", ["importacion exportacion", "importacao exportacao",
                                 "importadora exportadora"]),
        ("Russian", ["import eksport"]),
        ("Turkish", ["ithalat ihracat", "ithalat ve ihracat"]),
        ("Arabic", ["llastyrad waltsdyr", "alastyrad waltsdyr"]),
    ]),
    ("foreign economic", [
        ("English", ["foreign economic"]),
        ("Russian", ["vneshneekonomicheskoye", "vneshneekonomicheskoe", "vneshneekonomicheskaya",
                     "vneshneekonomicheskiy"]),
    ]),
    ("foreign trade", [
        ("Turkish", ["dis ticaret"]),
        ("Russian", ["vneshnyaya torgovlya", "vneshtorg"]),
        ("English", ["foreign trade"]),
    ]),
    ("industry", [
        ("English", ["industry", "industries", "industrial", "?ind"]),
        ("Spanish, Portuguese, Italian, French", ["industria", "industrias", "industrie",
                                                  "industries", "industriel", "industrielle",
                                                  "industriale", "industrial"]),
        ("Russian", ["promyshlennost", "promyshlennaya", "promyshlennyy"]),
        ("Turkish", ["sanayi", "sanayii", "?san"]),
        ("Arabic, Persian", ["snaat", "alsnaat", "snayt", "alsnayt", "sanaye", "sanayeh",
                             "snay", "sinaat", "sinaiya"]),
    ]),
    ("industry and trading", [
        ("Turkish", ["sanayi ve ticaret", "san ve tic", "sanayi ticaret", "san tic"]),
    ]),
    ("heavy industry", [
        ("English", ["heavy industries", "heavy industry"]),
    ]),
    ("technology", [
        ("English", ["technology", "technologies", "tech", "technological", "technologie"]),
        ("Spanish, Portuguese, Italian, French", ["tecnologia", "tecnologias", "technologique",
                                                  "tecnologie"]),
        ("German", ["technik", "technologie"]),
        ("Russian", ["tekhnologii", "tekhnologiya", "tekhnologiy", "tekhnologicheskiy"]),
        ("Turkish", ["teknoloji", "teknolojileri"]),
        ("Arabic, Persian", ["tknwlwjya", "lltknwlwjya", "altknwlwjya", "fanavari"]),
    ]),
    ("information technology", [
        ("English", ["information technology", "information technologies"]),
        ("Russian", ["informatsionnye tekhnologii", "informatsionnyye tekhnologii"]),
        ("Turkish", ["bilgi teknolojileri"]),
    ]),
    ("science and technology", [
        ("English", ["science and technology", "science technology", "sci tech",
                     "scientific and technological"]),
    ]),
    ("international", [
        ("English", ["international", "intl", "int l", "internationale"]),
        ("Spanish, Portuguese, Italian", ["internacional", "internazionale"]),
        ("Russian", ["mezhdunarodnyy", "mezhdunarodnaya", "mezhdunarodny", "mezhdunarodnoe",
                     "mezhdunarodnoye", "mezhdunarodnye"]),
        ("Turkish", ["uluslararasi"]),
        ("Arabic, Persian", ["dwlyt", "aldwlyt", "al dawliya", "beynolmelal", "bynalmllly"]),
    ]),
    ("investment", [
        ("English", ["investment", "investments", "invest"]),
        ("Spanish, Portuguese, French", ["inversiones", "inversion", "investimentos",
                                         "investissement", "investimenti"]),
        ("Russian", ["investitsii", "investitsionnaya", "investitsionnyy",
                     "investitsionnaia"]),
        ("Turkish", ["yatirim"]),
        ("Arabic, Persian", ["astthmar", "llastthmar", "alastthmar", "istithmar",
                             "sarmayegozari", "sarmaye gozari"]),
    ]),
    ("engineering", [
        ("English", ["engineering"]),
        ("Spanish, Portuguese, French, Italian", ["ingenieria", "engenharia", "ingenierie",
                                                  "ingegneria"]),
        ("Russian", ["inzhiniring"]),
        ("Turkish", ["muhendislik"]),
        ("Arabic, Persian", ["hndst", "alhndst", "alhndsyt", "mohandesi", "mhndsy"]),
    ]),
    ("electronics", [
        ("English", ["electronics", "electronic"]),
        ("Spanish, Portuguese, French", ["electronica", "eletronica", "electronique"]),
        ("Russian", ["elektronika", "elektronnyy"]),
        ("Turkish", ["elektronik"]),
    ]),
    ("network", [
        ("English", ["network", "networks"]),
    ]),
    ("shipping", [
        ("English", ["shipping", "shipping lines", "shipping company"]),
        ("Spanish, French", ["naviera", "navigation", "maritime"]),
        ("Russian", ["morskoye parokhodstvo", "parokhodstvo"]),
        ("Turkish", ["denizcilik"]),
        ("Arabic, Persian", ["llshhn", "alshhn", "keshtirani", "kshtyrany"]),
    ]),
    ("construction", [
        ("English", ["construction", "constructions", "building"]),
        ("Spanish, Portuguese, French", ["construccion", "construccao", "constructora",
                                         "construtora"]),
        ("Russian", ["stroitelstvo", "stroitelnaya", "stroy"]),
        ("Turkish", ["insaat"]),
        ("Arabic", ["mqawlat", "llmqawlat", "almqawlat"]),
    ]),
    ("development", [
        ("English", ["development", "developments"]),
        ("Spanish, Portuguese, French", ["desarrollo", "desenvolvimento", "developpement"]),
        ("Russian", ["razvitiya", "razvitie", "razvitiye"]),
        ("Persian", ["tosee", "toseeh", "toseh", "tose e", "twsh"]),
    ]),
    ("service", [
        ("English", ["service", "services"]),
        ("Spanish, Portuguese, French", ["servicios", "servicos", "servizi"]),
        ("Russian", ["servis", "uslugi"]),
        ("Turkish", ["hizmetleri"]),
        ("Arabic", ["khdmat", "llkhdmat", "alkhdmat"]),
    ]),
    ("petroleum", [
        ("English", ["petroleum", "oil"]),
        ("Spanish, Portuguese, French", ["petroleo", "petroleos", "petrole"]),
        ("Russian", ["neft", "neftyanaya"]),
        ("Arabic, Persian", ["nft", "alnft", "llnft", "naft"]),
    ]),
    ("oil and gas", [
        ("English", ["oil and gas", "oil gas"]),
        ("Russian", ["neftegaz", "neftegas"]),
    ]),
    ("petrochemical", [
        ("English", ["petrochemical", "petrochemicals"]),
        ("Russian", ["neftekhimiya", "neftekhim"]),
        ("Persian", ["petroshimi"]),
    ]),
    ("chemical", [
        ("English", ["chemical", "chemicals", "chemistry"]),
        ("Spanish, Portuguese, French", ["quimica", "quimicos", "chimie", "chimique"]),
        ("Russian", ["khimiya", "khimicheskiy"]),
    ]),
    ("energy", [
        ("English", ["energy"]),
        ("Spanish, Portuguese, French, German", ["energia", "energie"]),
        ("Russian", ["energiya", "energo"]),
        ("Turkish", ["enerji"]),
    ]),
    ("logistics", [
        ("English", ["logistics", "logistic"]),
        ("Spanish, Portuguese, French", ["logistica", "logistique"]),
        ("Russian", ["logistika"]),
        ("Turkish", ["lojistik"]),
    ]),
    ("manufacturing", [
        ("English", ["manufacturing", "manufacturers", "manufacturer", "mfg"]),
        ("Spanish, Portuguese", ["fabricacion", "manufacturas"]),
    ]),
    ("equipment", [
        ("English", ["equipment"]),
        ("Spanish, Portuguese, French", ["equipos", "equipamentos", "equipements"]),
        ("Russian", ["oborudovaniye", "oborudovanie"]),
    ]),
    ("machinery", [
        ("English", ["machinery", "machine building"]),
        ("Russian", ["mashinostroyeniye", "mashinostroenie", "mashinostroyeniya",
                     "mashinostroeniya", "mashinostroitelnyy",
                     "mashinostroitelny"]),
        ("Turkish", ["makina"]),
    ]),
    ("security", [
        ("English", ["security"]),
        ("Spanish, Portuguese, French", ["seguridad", "seguranca", "securite"]),
        ("Russian", ["bezopasnost", "bezopasnosti"]),
        ("Turkish", ["guvenlik"]),
    ]),
    ("research institute", [
        ("English", ["research institute", "scientific research institute"]),
        ("Russian", ["nii", "tsnii", "nauchno issledovatelskiy institut",
                     "nauchno issledovatelskii institut", "nauchno issledovatelski institut",
                     "tsentralnyy nauchno issledovatelskiy institut"]),
    ]),
    ("research and production association", [
        ("Russian", ["?npo", "nauchno proizvodstvennoye {obyedineniye|ob yedineniye}",
                     "nauchno proizvodstvennoe {obedinenie|obyedinenie}"]),
        ("English", ["{scientific|science|research} {and|} production association"]),
    ]),
    ("research and production enterprise", [
        ("Russian", ["npp", "nauchno proizvodstvennoye predpriyatiye",
                     "nauchno proizvodstvennoe predpriyatie"]),
        ("English", ["{scientific|science|research} {and|} production enterprise"]),
    ]),
    ("research and production company", [
        ("Russian", ["npk", "nauchno proizvodstvennaya korporatsiya",
                     "nauchno proizvodstvennaya kompaniya"]),
        ("English", ["{scientific|science|research} {and|} production "
                     "{corporation|company}"]),
    ]),
    ("design bureau", [
        ("Russian", ["okb", "konstruktorskoye byuro", "konstruktorskoe byuro",
                     "opytno konstruktorskoye byuro", "opytnoe konstruktorskoe byuro"]),
        ("English", ["design bureau", "experimental design bureau"]),
    ]),
    ("institute", [
        ("English, French", ["institute", "institut"]),
        ("Spanish, Portuguese, Italian", ["instituto", "istituto"]),
        ("Arabic", ["mahad"]),
    ]),
    ("university", [
        ("English", ["university"]),
        ("Spanish, Portuguese, French, Italian", ["universidad", "universidade", "universite",
                                                  "universita"]),
        ("Russian", ["universitet"]),
        ("Arabic, Persian", ["jamt", "aljamt", "jamiat", "daneshgah", "danshgah"]),
    ]),
    ("ministry", [
        ("English", ["ministry"]),
        ("Spanish, Portuguese, French, Italian", ["ministerio", "ministere", "ministero"]),
        ("Russian", ["ministerstvo", "minoborony"]),
        ("Arabic, Persian", ["wzart", "wizarat", "vezarat"]),
    ]),
    ("plant", [
        ("English", ["plant", "factory", "works"]),
        ("Russian", ["zavod", "kombinat", "fabrika"]),
        ("Spanish, French", ["fabrica", "usine"]),
    ]),
    ("enterprise", [
        ("English", ["enterprise", "enterprises"]),
        ("Spanish, Portuguese, French", ["empresa", "empresas", "entreprise"]),
        ("Russian", ["predpriyatiye", "predpriyatie"]),
    ]),
    ("establishment", [
        ("English", ["establishment"]),
        ("Arabic", ["mwsst", "almwsst", "muassasat", "muassasa", "muassasah", "moassesat"]),
        ("Persian", ["mwssh", "moasseseh", "moassese", "moassesseh"]),
    ]),
    ("foundation", [
        ("English", ["foundation"]),
        ("Spanish, French, German", ["fundacion", "fondation", "stiftung", "fundacao"]),
        ("Russian", ["fond"]),
        ("Persian", ["bonyad", "bnyad"]),
    ]),
    ("organization", [
        ("English", ["organization", "organisation"]),
        ("Spanish, French", ["organizacion", "organisation"]),
        ("Russian", ["organizatsiya"]),
        ("Persian", ["sazman", "sazeman"]),
    ]),
    ("association", [
        ("English", ["association"]),
        ("Spanish, French", ["asociacion", "associacao"]),
        ("Russian", ["obyedineniye", "obedinenie", "ob yedineniye", "assotsiatsiya"]),
        ("Arabic", ["jmyt", "aljmyt", "jamiya", "jamiyat"]),
    ]),
    ("concern", [
        ("English, German", ["concern", "konzern"]),
        ("Russian", ["kontsern"]),
    ]),
    ("center", [
        ("English", ["center", "centre"]),
        ("Spanish", ["centro"]),
        ("Russian", ["tsentr"]),
    ]),
    ("insurance", [
        ("English", ["insurance", "assurance"]),
        ("Spanish, Portuguese, French", ["seguros", "assurances"]),
        ("Russian", ["strakhovaya kompaniya", "strakhovaya", "strakhovanie"]),
        ("Turkish", ["sigorta"]),
        ("Persian", ["bimeh"]),
    ]),
    ("leasing", [
        ("English", ["leasing"]),
        ("Russian", ["lizing"]),
    ]),
    ("management", [
        ("English", ["management"]),
        ("Russian", ["menedzhment", "upravlyayushchaya kompaniya", "upravleniye"]),
    ]),
    ("aviation", [
        ("English", ["aviation"]),
        ("Russian", ["aviatsiya", "aviatsionnyy"]),
    ]),
    ("airlines", [
        ("English", ["airlines", "airline", "airways"]),
        ("Russian", ["aviakompaniya", "avialinii"]),
    ]),
    ("shipbuilding", [
        ("English", ["shipbuilding", "shipyard"]),
        ("Russian", ["sudostroitelnyy zavod", "sudostroitelnaya", "sudoverf", "verf"]),
    ]),
    ("mining", [
        ("English", ["mining"]),
        ("Spanish, Portuguese", ["minera", "mineracao"]),
        ("Russian", ["gornodobyvayushchaya"]),
    ]),
    ("exchange", [
        ("English", ["exchange", "money exchange", "exchange company"]),
        ("Arabic", ["sraft", "alsraft", "sarafi", "sarrafi"]),
    ]),
    ("supply chain", [
        ("English", ["supply chain"]),
    ]),
    ("communications", [
        ("English", ["communications", "communication", "telecommunications", "telecom"]),
        ("Russian", ["svyaz", "telekom"]),
    ]),
    ("software", [
        ("English", ["software"]),
    ]),
    ("freight forwarding", [
        ("English", ["freight forwarding", "freight forwarder", "freight forwarders"]),
    ]),
    ("machine tool", [
        ("English", ["machine tool", "machine tools"]),
        ("Russian", ["stankostroitelnyy", "stankostroitelnyi"]),
    ]),
    ("transport", [
        ("English", ["transport", "transportation"]),
        ("Spanish, Portuguese", ["transportes"]),
        ("Russian", ["transportnaya"]),
    ]),
    ("state", [
        ("Russian", ["gosudarstvennaya", "gosudarstvennyy", "gosudarstvennoye",
                     "gosudarstvennoe"]),
    ]),
    ("state corporation", [
        ("Russian", ["goskorporatsiya", "gosudarstvennaya korporatsiya"]),
        ("English", ["state corporation"]),
    ]),
]

# ----------------------------------------------------------------------------- Han, Kana, Hangul
CJK_FORMS = [
    ("ltd", [
        ("Chinese (PRC Company Law, Hong Kong, Taiwan)", [
            "有限公司", "有限责任公司", "有限責任公司", "(有限)公司"]),
        ("Japanese", ["有限会社"]),
        ("Korean", ["유한회사"]),
    ]),
    ("jsc", [
        ("Chinese", ["股份有限公司", "股份公司", "股份有限责任公司"]),
        ("Korean", ["주식회사", "(주)", "㈜", "（주）"]),
    ]),
    ("llc", [
        ("Japanese", ["合同会社"]),
        ("Korean", ["유한책임회사"]),
    ]),
    ("kk", [
        ("Japanese", ["株式会社", "(株)", "（株）", "㈱"]),
    ]),
    ("lp", [
        ("Chinese", ["有限合伙", "有限合夥"]),
        ("Japanese", ["合資会社"]),
        ("Korean", ["합자회사"]),
    ]),
    ("gp", [
        ("Chinese", ["普通合伙", "普通合夥"]),
        ("Japanese", ["合名会社"]),
        ("Korean", ["합명회사"]),
    ]),
]

CJK_ORGS = [
    ("company", [("Chinese", ["公司", "总公司", "總公司"]), ("Japanese", ["会社"]),
                 ("Korean", ["회사"])]),
    ("group", [("Chinese", ["集团", "集團"]), ("Japanese", ["グループ"]),
               ("Korean", ["그룹"])]),
    ("bank", [("Chinese, Japanese", ["银行", "銀行"]), ("Korean", ["은행"])]),
    ("holding", [("Chinese", ["控股"]), ("Japanese", ["ホールディングス"]),
                 ("Korean", ["홀딩스", "지주회사"])]),
    ("trading", [("Chinese", ["贸易", "貿易", "商贸", "商貿", "经贸", "經貿", "商事", "商行"]),
                 ("Korean", ["무역", "상사"])]),
    ("technology", [("Chinese", ["科技", "技术", "技術"]), ("Korean", ["기술", "테크"])]),
    ("information technology", [("Chinese", ["信息技术", "信息技術", "資訊科技", "信息科技"])]),
    ("science and technology", [("Chinese", ["科学技术", "科學技術"])]),
    ("industry", [("Chinese, Japanese", ["工业", "工業", "实业", "實業", "产业", "産業",
                                         "產業"]), ("Korean", ["산업", "공업"])]),
    ("heavy industry", [("Chinese, Japanese", ["重工业", "重工業", "重工"]),
                        ("Korean", ["중공업"])]),
    ("international", [("Chinese", ["国际", "國際"]), ("Korean", ["국제"])]),
    ("investment", [("Chinese", ["投资", "投資"]), ("Korean", ["투자"])]),
    ("engineering", [("Chinese", ["工程"]), ("Korean", ["엔지니어링"])]),
    ("electronics", [("Chinese, Japanese", ["电子", "電子"]), ("Korean", ["전자"])]),
    ("network", [("Chinese", ["网络", "網絡", "網路"]), ("Korean", ["네트워크"])]),
    ("shipping", [("Chinese", ["航运", "航運", "船务", "船務", "海运", "海運"]),
                  ("Korean", ["해운"])]),
    ("import export", [("Chinese", ["进出口", "進出口"])]),
    ("construction", [("Chinese", ["建设", "建設", "建筑", "建築"]), ("Korean", ["건설"])]),
    ("development", [("Chinese", ["发展", "發展", "开发", "開發"]), ("Korean", ["개발"])]),
    ("service", [("Chinese", ["服务", "服務"])]),
    ("petroleum", [("Chinese", ["石油"]), ("Korean", ["석유"])]),
    ("oil and gas", [("Chinese", ["石油天然气", "石油天然氣"])]),
    ("petrochemical", [("Chinese", ["石化", "石油化工"])]),
    ("chemical", [("Chinese", ["化工", "化学", "化學"]), ("Korean", ["화학"])]),
    ("energy", [("Chinese", ["能源"]), ("Korean", ["에너지"])]),
    ("logistics", [("Chinese", ["物流"]), ("Korean", ["물류"])]),
    ("supply chain", [("Chinese", ["供应链", "供應鏈"])]),
    ("supply chain management", [("Chinese", ["供应链管理", "供應鏈管理"])]),
    ("manufacturing", [("Chinese", ["制造", "製造"])]),
    ("equipment", [("Chinese", ["设备", "設備", "装备", "裝備"])]),
    ("machinery", [("Chinese", ["机械", "機械"]), ("Korean", ["기계"])]),
    ("security", [("Chinese", ["安全"])]),
    ("research institute", [("Chinese, Japanese", ["研究所", "研究院"]),
                            ("Korean", ["연구소", "연구원"])]),
    ("university", [("Chinese, Japanese", ["大学", "大學"]), ("Korean", ["대학교", "대학"])]),
    ("ministry", [("Chinese", ["部"])]),
    ("military unit", [("Chinese", ["部队", "部隊"])]),
    ("province", [("Chinese", ["省"])]),
    ("center", [("Chinese", ["中心"]), ("Korean", ["센터"])]),
    ("association", [("Chinese", ["协会", "協會"]), ("Korean", ["협회"])]),
    ("aviation", [("Chinese", ["航空"]), ("Korean", ["항공"])]),
    ("aerospace", [("Chinese", ["航天"])]),
    ("communications", [("Chinese", ["通信", "电信", "電信", "通讯", "通訊"]),
                        ("Korean", ["통신"])]),
    ("software", [("Chinese", ["软件", "軟件", "軟體"])]),
    ("semiconductor", [("Chinese", ["半导体", "半導體"]), ("Korean", ["반도체"])]),
    ("mining", [("Chinese", ["矿业", "礦業"]), ("Korean", ["광업"])]),
    ("insurance", [("Chinese", ["保险", "保險"]), ("Korean", ["보험"])]),
    ("securities", [("Chinese", ["证券", "證券"]), ("Korean", ["증권"])]),
    ("transport", [("Chinese", ["运输", "運輸"])]),
    ("management", [("Chinese", ["管理"])]),
    ("consulting", [("Chinese", ["咨询", "諮詢"])]),
    ("intelligent", [("Chinese", ["智能"])]),
    ("shipbuilding", [("Chinese", ["造船", "船舶"])]),
    ("steel", [("Chinese", ["钢铁", "鋼鐵"]), ("Korean", ["제철", "철강"])]),
    ("automobile", [("Chinese", ["汽车", "汽車"]), ("Korean", ["자동차"])]),
    ("branch", [("Chinese", ["分公司"])]),
    ("freight forwarding", [("Chinese", ["货运代理", "貨運代理"])]),
    ("machine tool", [("Chinese", ["机床", "機床"])]),

]

# Han phrases that contain a shorter entry but mean something else; longest match picks these
# and they carry no canonical value of their own: they only stop the shorter match.
CJK_BLOCK = ["部分", "部门", "部門", "省略", "公司法"]

# ----------------------------------------------------------------------------- generation
CLASSES = ["company", "partnership", "sole", "coop", "state"]


def expand(phrase):
    parts = re.split(r"(\{[^}]*\})", phrase)
    choices = []
    for p in parts:
        if p.startswith("{"):
            choices.append(p[1:-1].split("|"))
        else:
            choices.append([p])
    out = []
    for combo in itertools.product(*choices):
        s = re.sub(r" +", " ", "".join(combo)).strip()
        out.append(s)
    return out


def bgn_variants(phrase):
    """Spellings of a BGN phrase after the breve of й was lost (or never written): word-final
    "-yy", "-iy", "-oy" also as "-yi", "-ii", "-oi" (ogranichennoy, ogranichennoi)."""
    words = phrase.split()
    alts = []
    for w in words:
        a = [w]
        if len(w) > 3 and w[-2:] in ("yy", "iy", "oy"):
            a.append(w[:-1] + "i")
        alts.append(a)
    return [" ".join(c) for c in itertools.product(*alts)]


def fnv1a(s):
    h = 2166136261
    for b in s.encode():
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h


def c_str(s):
    # UTF-8 stays as written (the compiler's source and execution sets are UTF-8)
    assert all(ord(c) >= 32 and c not in '"\\' for c in s), s
    return '"' + s + '"'


def build():
    latin = {}  # phrase -> (canon, kind, ambiguous)
    canon_class = {}
    docs_forms = []
    docs_orgs = []

    def add(raw, canon, kind):
        amb = raw.startswith("?")
        if amb:
            raw = raw[1:]
        for p in (v for e in expand(raw) for v in bgn_variants(e)):
            if not re.fullmatch(r"[a-z0-9]+( [a-z0-9]+)*", p):
                sys.exit("bad phrase %r" % p)
            if len(p.split()) > 8:
                sys.exit("phrase too long %r" % p)
            if p in latin and latin[p][:2] != (canon, kind):
                if latin[p][1] == "form" and kind == "org" or p not in expand(raw):
                    continue  # a legal form wins over the same word as an org word
                sys.exit("phrase %r: %s and %s" % (p, latin[p][0], canon))
            latin[p] = (canon, kind, amb or latin.get(p, (0, 0, False))[2])

    for canon, cls, groups in FORMS:
        assert cls in CLASSES
        canon_class[canon] = cls
        for where, phrases in groups:
            for ph in phrases:
                add(ph, canon, "form")
            docs_forms.append((canon, where, phrases))
    for canon, groups in ORGS:
        for where, phrases in groups:
            for ph in phrases:
                add(ph, canon, "org")
            docs_orgs.append((canon, where, phrases))

    cjk = {}
    for table, kind in ((CJK_FORMS, "form"), (CJK_ORGS, "org")):
        for canon, groups in table:
            if kind == "form":
                assert canon in canon_class, canon
            for where, phrases in groups:
                for ph in phrases:
                    if ph in cjk and cjk[ph] != (canon, kind):
                        if cjk[ph][1] == "form":
                            continue
                        sys.exit("cjk phrase %r: %s and %s" % (ph, cjk[ph][0], canon))
                    cjk[ph] = (canon, kind)
                (docs_forms if kind == "form" else docs_orgs).append((canon, where, phrases))
    for ph in CJK_BLOCK:
        assert ph not in cjk
        cjk[ph] = ("", "none")
    return latin, canon_class, cjk, docs_forms, docs_orgs


def gen_table(latin, canon_class, cjk):
    canons = sorted({v[0] for v in latin.values()} | {v[0] for v in cjk.values() if v[0]})
    cidx = {c: i for i, c in enumerate(canons)}
    o = []
    o.append("/* Generated by scripts/gen-legal.py. Do not edit. */\n")
    o.append("static const char *const legal_canon[] = {\n")
    for c in canons:
        o.append("    %s,\n" % c_str(c))
    o.append("};\n\n")
    # class of every canonical legal form, sorted by name for the class lookup
    o.append("static const legal_class_entry legal_classes[] = {\n")
    for c in sorted(canon_class):
        o.append("    {%s, EMB__LEGAL_CLASS_%s},\n" % (c_str(c), canon_class[c].upper()))
    o.append("};\n\n")
    # Latin entries grouped by first token; inside a group longer phrases first
    groups = {}
    for p, v in latin.items():
        toks = p.split()
        groups.setdefault(toks[0], []).append((toks, v))
    firsts = sorted(groups)
    o.append("static const legal_entry legal_entries[] = {\n")
    ginfo = []
    n = 0
    for f in firsts:
        ents = sorted(groups[f], key=lambda e: (-len(e[0]), e[0]))
        ginfo.append((f, n, len(ents)))
        for toks, (canon, kind, amb) in ents:
            rest = " ".join(toks[1:])
            line = "    {%s, %d, %d, %s, %d}," % (
                c_str(rest), len(toks) - 1, cidx[canon],
                "EMB__LEGAL_FORM" if kind == "form" else "EMB__LEGAL_ORG", int(amb))
            note = " /* %s */" % " ".join(toks)
            if len(line) + len(note) > 100:
                o.append("   " + note + "\n")
                o.append(line + "\n")
            else:
                o.append(line + note + "\n")
            n += 1
    o.append("};\n\n")
    o.append("static const legal_group legal_groups[] = {\n")
    for f, start, cnt in ginfo:
        o.append("    {%s, %d, %d, %d},\n" % (c_str(f), len(f), start, cnt))
    o.append("};\n\n")
    # open-addressing hash of the first tokens (FNV-1a, linear probing), as legal.c reads it
    size = 1
    while size < 3 * len(firsts):
        size *= 2
    slots = [0xFFFF] * size
    for gi, f in enumerate(firsts):
        h = fnv1a(f) & (size - 1)
        while slots[h] != 0xFFFF:
            h = (h + 1) & (size - 1)
        slots[h] = gi
    o.append("#define LEGAL_HASH_SIZE %du\n" % size)
    o.append("static const uint16_t legal_hash[LEGAL_HASH_SIZE] = {\n")
    for i in range(0, size, 12):
        o.append("    " + " ".join("%d," % v for v in slots[i:i + 12]) + "\n")
    o.append("};\n\n")
    # length masks of first tokens by first character (a-z, 0-9)
    masks = [0] * 36
    for f in firsts:
        ch = f[0]
        i = ord(ch) - 97 if ch.isalpha() else 26 + ord(ch) - 48
        assert len(f) < 32
        masks[i] |= 1 << len(f)
    o.append("static const uint32_t legal_len_mask[36] = {\n")
    for i in range(0, 36, 6):
        o.append("    " + " ".join("0x%08xu," % m for m in masks[i:i + 6]) + "\n")
    o.append("};\n\n")
    # CJK entries sorted by first code point, longer phrases first inside a code point
    ents = sorted(cjk.items(), key=lambda kv: (ord(kv[0][0]), -len(kv[0].encode()), kv[0]))
    o.append("static const legal_cjk_entry legal_cjk[] = {\n")
    for p, (canon, kind) in ents:
        line = "    {0x%04x, %d, %s, %d, %s}," % (
            ord(p[0]), len(p.encode()), c_str(p), cidx[canon] if canon else -1,
            {"form": "EMB__LEGAL_FORM", "org": "EMB__LEGAL_ORG",
             "none": "EMB__LEGAL_NONE"}[kind])
        o.append(line + "\n")
    o.append("};\n")
    return "".join(o), len(latin), len(cjk), len(canons)


def md_escape(s):
    return s.replace("|", "\\|")


def gen_docs(docs_forms, docs_orgs, canon_class, latin):
    o = ["<!-- generated by scripts/gen-legal.py: edit the script, not this table -->\n"]
    risky = sorted(p for p, v in latin.items() if v[2])
    o.append("\n### Risky phrases (flagged `EMB__LEGAL_AMBIGUOUS`)\n\n")
    o.append(", ".join("`%s` (%s)" % (p, latin[p][0]) for p in risky) + "\n")
    o.append("\n### Legal forms\n\n")
    o.append("| Canonical | Class | Jurisdiction / language | Forms (as tokens after folding) |\n")
    o.append("|---|---|---|---|\n")
    for canon, where, phrases in docs_forms:
        o.append("| `%s` | %s | %s | %s |\n" % (
            canon, canon_class[canon], where,
            ", ".join(md_escape(p) for p in phrases)))
    o.append("\n### Organisation words\n\n")
    o.append("| Canonical | Language | Words (as tokens after folding, or in their script) |\n")
    o.append("|---|---|---|\n")
    for canon, where, phrases in docs_orgs:
        o.append("| `%s` | %s | %s |\n" % (canon, where,
                                            ", ".join(md_escape(p) for p in phrases)))
    return "".join(o)


BEGIN = "<!-- BEGIN TABLES -->\n"
END = "<!-- END TABLES -->\n"


def main():
    latin, canon_class, cjk, docs_forms, docs_orgs = build()
    table, nl, nc, ncanon = gen_table(latin, canon_class, cjk)
    tables = gen_docs(docs_forms, docs_orgs, canon_class, latin)
    doc_path = "docs/LEGAL_FORMS.md"
    with open(doc_path, encoding="utf-8") as f:
        doc = f.read()
    if BEGIN not in doc or END not in doc:
        sys.exit("%s lacks the table markers" % doc_path)
    head, rest = doc.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    new_doc = head + BEGIN + tables + END + tail
    tab_path = "src/unicode/legal_table.inc"
    try:
        old_tab = open(tab_path, encoding="utf-8").read()
    except FileNotFoundError:
        old_tab = ""
    if "--check" in sys.argv:
        stale = old_tab != table or doc != new_doc
        if stale:
            print("legal tables are stale: run scripts/gen-legal.py")
        sys.exit(1 if stale else 0)
    with open(tab_path, "w", encoding="utf-8") as f:
        f.write(table)
    with open(doc_path, "w", encoding="utf-8") as f:
        f.write(new_doc)
    print("%d Latin phrases, %d Han/Kana/Hangul phrases, %d canonical values" % (nl, nc, ncanon))


if __name__ == "__main__":
    main()
