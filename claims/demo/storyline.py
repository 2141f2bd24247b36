"""The LLaMA 2 demo storyline, written for ClaimTrack.

Used by ``manage.py loaddemo`` to fill an empty database with a small, coherent
newsroom story: an insider report in June 2023 about Meta's next language model,
the Financial Times report of 13 July and a tech site relaying it, Meta's Llama 2
announcement of 18 July, the Open Source Initiative's objection to its licence,
and Code Llama in August.

Every article below was written for ClaimTrack; outlets and people are real, but
the bylines are invented and every URL uses a reserved ``.example`` host. The
module is pure data:

* ``SOURCES``  - who says things (person, organisation, publication, anonymous).
* ``ARTICLES`` - published texts, each tied to a publication source by key.
* ``CLAIMS``   - claims with their appearances (exact quotes), the evidence later
  articles give for or against them, and the editor's status history.

Quotes, attributions and evidence sentences are exact substrings of the text of
the article they name.
"""

from __future__ import annotations

SOURCES = [
    # publications
    {"key": "the-information", "name": "The Information", "kind": "publication", "aliases": []},
    {"key": "les-echos", "name": "Les Echos", "kind": "publication", "aliases": ["LesEchos"]},
    {"key": "ft", "name": "Financial Times", "kind": "publication", "aliases": ["FT"]},
    {
        "key": "the-decoder",
        "name": "The Decoder",
        "kind": "publication",
        "aliases": ["THE DECODER"],
    },
    {
        "key": "meta-newsroom",
        "name": "Meta Newsroom",
        "kind": "publication",
        "aliases": ["Meta AI blog"],
    },
    {"key": "the-register", "name": "The Register", "kind": "publication", "aliases": ["El Reg"]},
    {"key": "the-verge", "name": "The Verge", "kind": "publication", "aliases": []},
    # organisations
    {
        "key": "meta",
        "name": "Meta",
        "kind": "organisation",
        "aliases": ["Meta Platforms", "Facebook"],
    },
    {"key": "microsoft", "name": "Microsoft", "kind": "organisation", "aliases": ["MSFT"]},
    {
        "key": "osi",
        "name": "Open Source Initiative",
        "kind": "organisation",
        "aliases": ["OSI"],
    },
    # people
    {"key": "lecun", "name": "Yann LeCun", "kind": "person", "aliases": ["LeCun"]},
    {"key": "zuckerberg", "name": "Mark Zuckerberg", "kind": "person", "aliases": ["Zuckerberg"]},
    # anonymous groups
    {
        "key": "people-familiar-plans",
        "name": "People familiar with Meta's plans",
        "kind": "anonymous",
        "aliases": [],
    },
    {
        "key": "three-people-project",
        "name": "Three people familiar with the project",
        "kind": "anonymous",
        "aliases": ["three sources close to the project"],
    },
    {
        "key": "insider-strategy",
        "name": "An insider familiar with Meta's strategy",
        "kind": "anonymous",
        "aliases": [],
    },
]


ARTICLES = [
    {
        "key": "insider-june",
        "url": "https://the-information.example/2023/06/meta-next-model-open",
        "title": "Meta's Next AI Model Will Stay Open Source, and Businesses Will Be Able to Use It",
        "outlet": "the-information",
        "author": "Dana Whitlock",
        "published_at": "2023-06-15T08:00:00+00:00",
        "language": "en",
        "text": (
            "Meta Platforms is working on a successor to LLaMA, the large language model "
            "it shared with academic researchers in February, and plans to keep the new "
            "version open source, according to people familiar with the plans."
            "\n\n"
            "Unlike the first model, the successor would carry a licence that lets "
            "companies build commercial products on it, the people said. The first LLaMA "
            "was distributed under a research licence that ruled out commercial use, "
            "although its weights leaked online within about a week and spawned a wave of "
            "hobbyist variants."
            "\n\n"
            "The move reflects a belief among Meta's AI leaders that publishing model "
            "details draws in outside developers, who then improve the technology at no "
            "cost to the company. OpenAI and Google have gone the other way, keeping "
            "their most capable systems behind paid interfaces."
            "\n\n"
            "No release date has been set, the people said, and Meta could still change "
            "course. Some executives worry about misuse of a freely available model, and "
            "lawyers are still drafting the licence terms."
            "\n\n"
            "A Meta spokesperson declined to comment."
        ),
    },
    {
        "key": "lecun-aix",
        "url": "https://lesechos.example/tech-medias/intelligence-artificielle/yann-lecun-aix-open-source",
        "title": "Yann LeCun : « L'open source peut rebattre les cartes de l'IA en quelques semaines »",
        "outlet": "les-echos",
        "author": "Claire Vasseur",
        "published_at": "2023-07-08T15:45:00+00:00",
        "language": "fr",
        "text": (
            "Invité samedi des Rencontres économiques d'Aix-en-Provence, Yann LeCun a "
            "plaidé pour une intelligence artificielle ouverte. Pour le directeur "
            "scientifique de l'IA chez Meta, l'avance des grands modèles fermés, à "
            "commencer par celui d'OpenAI, n'a rien de définitif."
            "\n\n"
            "« Le jour où des plateformes open source seront aussi performantes que les "
            "systèmes fermés, le paysage concurrentiel changera du tout au tout, et cela "
            "peut arriver dans les semaines qui viennent », a affirmé le chercheur devant "
            "un parterre de chefs d'entreprise et d'économistes."
            "\n\n"
            "Lauréat du prix Turing, Yann LeCun défend depuis des mois la publication des "
            "modèles de langage, afin que chercheurs, start-up et administrations puissent "
            "les examiner et les améliorer. Laisser cette technologie entre les mains de "
            "quelques entreprises californiennes poserait, selon lui, un problème de "
            "souveraineté autant que de sécurité."
            "\n\n"
            "Le chercheur n'a pas dit si Meta s'apprêtait à présenter un nouveau modèle. "
            "Le groupe de Mark Zuckerberg avait dévoilé en février LLaMA, réservé aux "
            "travaux de recherche, dont les paramètres ont rapidement circulé en ligne."
            "\n\n"
            "Interrogé sur les dangers de l'IA, il a jugé exagérées les craintes d'une "
            "technologie hors de contrôle, estimant que les systèmes actuels restent très "
            "loin de l'intelligence humaine."
        ),
    },
    {
        "key": "ft-commercial",
        "url": "https://ft.example/content/meta-commercial-language-model",
        "title": "Meta readies commercial edition of its AI model in challenge to OpenAI and Google",
        "outlet": "ft",
        "author": "Hannah Merriweather",
        "published_at": "2023-07-13T04:00:00+00:00",
        "language": "en",
        "text": (
            "Meta is set to put out a commercial edition of its large language model, "
            "taking aim at OpenAI, Microsoft and Google, according to three people "
            "familiar with the project."
            "\n\n"
            "Businesses and start-ups would be able to build their own software on the "
            "model, an upgraded version of LLaMA, the system Meta first shared with "
            "researchers in February. The people said it would generate language, code "
            "and images."
            "\n\n"
            "As with the original, Meta intends to make the new model open source, "
            "publishing details of how it works so outside developers can modify and "
            "extend it, two of the people said. A release is expected imminently, the "
            "people added, although the timing could still slip."
            "\n\n"
            "Meta has not yet decided whether to charge business customers for related "
            "services, such as help adapting the model to a company's own data, according "
            "to those familiar with the discussions."
            "\n\n"
            "The approach sets Meta apart from rivals that guard their most capable "
            "systems and sell access through subscriptions and cloud contracts. Microsoft "
            "has put billions of dollars into OpenAI, whose ChatGPT chatbot set off the "
            "current race, while Google has been adding its own models to search and to "
            "its cloud business."
            "\n\n"
            "Chief executive Mark Zuckerberg has told investors that generative AI is a "
            "priority, saying Meta intends to use the technology across its own apps and "
            "also make it available to others."
            "\n\n"
            "Meta declined to comment."
        ),
    },
    {
        "key": "decoder-relay",
        "url": "https://the-decoder.example/meta-commercial-llama-successor-openai/",
        "title": "Meta reportedly readies a commercial LLaMA successor to take on OpenAI",
        "outlet": "the-decoder",
        "author": "Jonas Albrecht",
        "published_at": "2023-07-14T09:30:00+00:00",
        "language": "en",
        "text": (
            "Meta is getting a commercial version of its AI model ready to take on OpenAI, "
            "Microsoft and Google, the Financial Times reports, citing three sources close to the "
            "project. The FT says the system will handle text, programming code and "
            "images."
            "\n\n"
            "The model is probably the next generation of LLaMA, the language model that "
            "sits underneath a large share of today's open-source AI projects. The first "
            "LLaMA came with a licence restricted to research, which rules out using it "
            "directly in commercial products."
            "\n\n"
            "Mark Zuckerberg has confirmed that a new model is in development, though not "
            "what it will be called. In Zuckerberg's words, Meta plans to run the model "
            "inside its own products and make it available to other companies too."
            "\n\n"
            "The FT's reporting matches what The Information heard in June: the successor "
            "is to stay open source, with its details published for anyone to build on. "
            "Our guess is that Meta could still hold back one lever: the sole right to "
            "sell commercial licences, plus paid extras such as fine-tuning on a "
            "company's own data, which volunteers can hardly offer."
            "\n\n"
            "That way volunteers would improve the model for free while Meta alone "
            "collects licence revenue. Whether the company will actually charge for anything is "
            "still open, according to the FT's sources."
            "\n\n"
            "An insider who knows Meta's strategy at the top level says the real aim is "
            "to end OpenAI's grip on the market."
            "\n\n"
            "Yann LeCun, Meta's chief AI scientist, dropped a hint last weekend. At the "
            "economic meetings in Aix-en-Provence he told the audience, according to the "
            "French business daily Les Echos, that the market could be turned upside down "
            "within weeks once open-source models are as capable as closed ones."
            "\n\n"
            "Meta is expected to show the model within days, the FT's sources say."
        ),
    },
    {
        "key": "meta-llama2",
        "url": "https://newsroom.meta.example/2023/07/llama-2-with-microsoft/",
        "title": "Meta and Microsoft introduce Llama 2, free for research and commercial use",
        "outlet": "meta-newsroom",
        "author": "Rachel Okafor",
        "published_at": "2023-07-18T16:00:00+00:00",
        "language": "en",
        "text": (
            "Meta today released Llama 2, the next generation of its open large language "
            "model, and named Microsoft as its preferred partner for the launch. The model "
            "is free for research and commercial use."
            "\n\n"
            "Llama 2 comes in three sizes, with 7 billion, 13 billion and 70 billion "
            "parameters. Alongside the pretrained models, Meta is publishing Llama 2-Chat, "
            "versions fine-tuned for dialogue. The pretrained models were trained on 2 "
            "trillion tokens, about 40 percent more data than the first LLaMA, and can "
            "take in twice as much context."
            "\n\n"
            "The models work with text only: they generate and complete text and do not "
            "produce images."
            "\n\n"
            "Unlike the first LLaMA, which was shared with researchers under a "
            "non-commercial licence, Llama 2 is distributed under Meta's own community "
            "licence, which permits commercial products. Companies whose products had more "
            "than 700 million monthly active users in the preceding calendar month must "
            "request a separate licence from Meta, which it may grant at its discretion."
            "\n\n"
            "Llama 2 is available in Microsoft's Azure AI model catalogue and is optimised "
            "to run locally on Windows. Developers can also download it directly or reach "
            "it through Amazon Web Services, Hugging Face and other providers."
            "\n\n"
            "Meta argues that an open approach lets developers and researchers stress-test "
            "the models and find and fix problems faster. The release comes with a "
            "responsible use guide and an acceptable use policy that rules out certain "
            "applications."
        ),
    },
    {
        "key": "osi-licence",
        "url": "https://theregister.example/2023/07/21/osi_llama_2_licence/",
        "title": "Open Source Initiative says Llama 2 licence is not open source",
        "outlet": "the-register",
        "author": "Tomas Brennan",
        "published_at": "2023-07-21T12:30:00+00:00",
        "language": "en",
        "text": (
            "Meta's licence for Llama 2 does not meet the Open Source Definition, the Open "
            "Source Initiative said on Thursday, rejecting the company's description of "
            "the model as open source."
            "\n\n"
            "The OSI, which maintains the definition and approves licences against it, "
            "objects to restrictions on who may use the model and for what. Two points "
            "stand out: companies with more than 700 million monthly active users need "
            "Meta's permission, and an acceptable use policy rules out whole categories of "
            "application."
            "\n\n"
            "The Open Source Definition requires that a licence not discriminate against "
            "persons, groups or fields of endeavour. Meta's terms fail that test, the OSI "
            "said, even if they are more generous than the research-only terms of the "
            "first LLaMA."
            "\n\n"
            "The organisation did credit Meta with making the model weights widely "
            "available, which lowers the barrier for researchers and smaller companies. It "
            "asked Meta to stop calling the model open source and to describe its terms "
            "accurately."
            "\n\n"
            "Meta has not changed its wording. Its Llama 2 page still speaks of an open "
            "approach to AI."
            "\n\n"
            "The dispute reaches beyond one company. With more model makers publishing "
            "weights under custom terms, the OSI says it is working on a definition of "
            "what open source should mean for AI systems."
        ),
    },
    {
        "key": "code-llama",
        "url": "https://theverge.example/2023/8/24/meta-code-llama-coding-model",
        "title": "Meta's Code Llama is a free coding model built on Llama 2",
        "outlet": "the-verge",
        "author": "Priya Castellano",
        "published_at": "2023-08-24T15:00:00+00:00",
        "language": "en",
        "text": (
            "Meta is releasing Code Llama, a large language model that writes and explains "
            "code, built on top of Llama 2."
            "\n\n"
            "Code Llama was made by training Llama 2 further on code-heavy data. It can "
            "write code from a plain-language prompt, fill in half-finished functions and "
            "help hunt down bugs. Meta says it handles many popular languages, including "
            "Python, C++, Java, PHP, TypeScript, C# and Bash."
            "\n\n"
            "There are three sizes, with 7 billion, 13 billion and 34 billion parameters, "
            "plus two specialised variants: one tuned further on Python, and Code Llama - "
            "Instruct, which is tuned to follow instructions written in natural language. "
            "The smallest version runs on a single GPU, which suits quick completions "
            "inside an editor."
            "\n\n"
            "Like Llama 2, Code Llama is free for research and commercial use under the "
            "same community licence, including the cap for very large companies."
            "\n\n"
            "Meta's case for releasing it openly is a familiar one: outside developers can "
            "test the model, find its weak spots and build on it. In Meta's own "
            "benchmarks, Code Llama beats other openly available code models, though it "
            "still trails OpenAI's GPT-4."
            "\n\n"
            "The release adds code generation to the Llama family; neither Llama 2 nor "
            "Code Llama generates images. Whether open models have upended the market "
            "within weeks, as Meta's chief AI scientist Yann LeCun predicted in early "
            "July, is hard to judge, since there is no agreed yardstick for such a shift."
        ),
    },
]


CLAIMS = [
    {
        "key": "open-source",
        "text": "Meta's next LLaMA model will be released as open source.",
        "kind": "prediction",
        "tags": ["llama", "meta", "open-source"],
        "resolves_by": "2023-12-31",
        "appearances": [
            {
                "article": "insider-june",
                "quote": (
                    "Meta Platforms is working on a successor to LLaMA, the large language "
                    "model it shared with academic researchers in February, and plans to "
                    "keep the new version open source"
                ),
                "speaker": "people-familiar-plans",
                "outlet": None,
                "attribution": "according to people familiar with the plans",
                "anonymous_count": None,
            },
            {
                "article": "ft-commercial",
                "quote": "As with the original, Meta intends to make the new model open source",
                "speaker": "three-people-project",
                "outlet": None,
                "attribution": "two of the people said",
                "anonymous_count": 2,
            },
            {
                "article": "decoder-relay",
                "quote": "the successor is to stay open source, with its details published for anyone to build on",
                "speaker": "three-people-project",
                "outlet": "ft",
                "attribution": "The FT's reporting matches what The Information heard in June",
                "anonymous_count": None,
            },
        ],
        "evidence": [
            {
                "article": "meta-llama2",
                "stance": "supports",
                "score": 0.78,
                "sentences": [
                    "Meta today released Llama 2, the next generation of its open large "
                    "language model, and named Microsoft as its preferred partner for the "
                    "launch.",
                    "The model is free for research and commercial use.",
                ],
                "found_by": "engine",
                "review": "accepted",
            },
            {
                "article": "osi-licence",
                "stance": "refutes",
                "score": 0.81,
                "sentences": [
                    "Meta's licence for Llama 2 does not meet the Open Source Definition, "
                    "the Open Source Initiative said on Thursday, rejecting the company's "
                    "description of the model as open source."
                ],
                "found_by": "engine",
                "review": "accepted",
            },
        ],
        "history": [
            {
                "at": "2023-07-19T09:00:00+00:00",
                "to": "supported",
                "by": "editor",
                "note": (
                    "Meta published Llama 2's weights for anyone to download and build on, "
                    "as the reports predicted."
                ),
                "evidence": "meta-llama2",
            },
            {
                "at": "2023-07-24T10:30:00+00:00",
                "to": "mixed",
                "by": "editor",
                "note": (
                    "The weights are open, but the OSI says the licence fails the Open "
                    "Source Definition because of its user cap and use restrictions. Open "
                    "in practice, not open source in the strict sense."
                ),
                "evidence": "osi-licence",
            },
        ],
    },
    {
        "key": "commercial-compete",
        "text": (
            "Meta will release a commercial version of its LLaMA model to compete with "
            "OpenAI, Microsoft and Google."
        ),
        "kind": "prediction",
        "tags": ["llama", "meta", "commercial", "openai"],
        "resolves_by": "2023-12-31",
        "appearances": [
            {
                "article": "ft-commercial",
                "quote": (
                    "Meta is set to put out a commercial edition of its large language "
                    "model, taking aim at OpenAI, Microsoft and Google"
                ),
                "speaker": "three-people-project",
                "outlet": None,
                "attribution": "according to three people familiar with the project",
                "anonymous_count": 3,
            },
            {
                "article": "decoder-relay",
                "quote": (
                    "Meta is getting a commercial version of its AI model ready to take on "
                    "OpenAI, Microsoft and Google"
                ),
                "speaker": "three-people-project",
                "outlet": "ft",
                "attribution": (
                    "the Financial Times reports, citing three sources close to the project"
                ),
                "anonymous_count": 3,
            },
        ],
        "evidence": [
            {
                "article": "meta-llama2",
                "stance": "supports",
                "score": 0.86,
                "sentences": [
                    "Meta today released Llama 2, the next generation of its open large "
                    "language model, and named Microsoft as its preferred partner for the "
                    "launch.",
                    "The model is free for research and commercial use.",
                ],
                "found_by": "engine",
                "review": "accepted",
            },
            {
                "article": "osi-licence",
                "stance": "refutes",
                "score": 0.36,
                "sentences": [
                    "Two points stand out: companies with more than 700 million monthly "
                    "active users need Meta's permission, and an acceptable use policy "
                    "rules out whole categories of application."
                ],
                "found_by": "engine",
                "review": "rejected",
            },
        ],
        "history": [
            {
                "at": "2023-07-19T09:20:00+00:00",
                "to": "supported",
                "by": "editor",
                "note": (
                    "Llama 2 is out and licensed for commercial use, putting Meta up "
                    "against OpenAI and Google. Microsoft turned out to be a launch partner "
                    "as well as a rival, which does not change the verdict."
                ),
                "evidence": "meta-llama2",
            },
        ],
    },
    {
        "key": "language-code-images",
        "text": "Meta's new model will be able to generate language, code and images.",
        "kind": "prediction",
        "tags": ["llama", "meta", "capabilities"],
        "resolves_by": "2023-12-31",
        "appearances": [
            {
                "article": "ft-commercial",
                "quote": "it would generate language, code and images",
                "speaker": "three-people-project",
                "outlet": None,
                "attribution": "The people said",
                "anonymous_count": None,
            },
            {
                "article": "decoder-relay",
                "quote": "the system will handle text, programming code and images",
                "speaker": "three-people-project",
                "outlet": "ft",
                "attribution": "The FT says",
                "anonymous_count": None,
            },
        ],
        "evidence": [
            {
                "article": "meta-llama2",
                "stance": "refutes",
                "score": 0.83,
                "sentences": [
                    "The models work with text only: they generate and complete text and "
                    "do not produce images."
                ],
                "found_by": "engine",
                "review": "accepted",
            },
            {
                "article": "code-llama",
                "stance": "supports",
                "score": 0.64,
                "sentences": [
                    "Meta is releasing Code Llama, a large language model that writes and "
                    "explains code, built on top of Llama 2.",
                    "The release adds code generation to the Llama family; neither Llama 2 "
                    "nor Code Llama generates images.",
                ],
                "found_by": "engine",
                "review": "accepted",
            },
        ],
        "history": [
            {
                "at": "2023-07-19T09:40:00+00:00",
                "to": "refuted",
                "by": "editor",
                "note": (
                    "Llama 2 as released handles text only; there is no image generation "
                    "and no dedicated code model."
                ),
                "evidence": "meta-llama2",
            },
            {
                "at": "2023-08-25T09:00:00+00:00",
                "to": "mixed",
                "by": "editor",
                "note": (
                    "Code Llama, built on Llama 2, now covers code generation. Images are "
                    "still missing from the Llama family, so the claim is only partly true."
                ),
                "evidence": "code-llama",
            },
        ],
    },
    {
        "key": "launch-imminent",
        "text": "The presentation of Meta's new LLaMA model is imminent.",
        "kind": "prediction",
        "tags": ["llama", "meta", "launch"],
        "resolves_by": "2023-07-31",
        "appearances": [
            {
                "article": "ft-commercial",
                "quote": "A release is expected imminently",
                "speaker": "three-people-project",
                "outlet": None,
                "attribution": "the people added",
                "anonymous_count": None,
            },
            {
                "article": "decoder-relay",
                "quote": "Meta is expected to show the model within days",
                "speaker": "three-people-project",
                "outlet": "ft",
                "attribution": "the FT's sources say",
                "anonymous_count": None,
            },
        ],
        "evidence": [
            {
                "article": "meta-llama2",
                "stance": "supports",
                "score": 0.74,
                "sentences": [
                    "Meta today released Llama 2, the next generation of its open large "
                    "language model, and named Microsoft as its preferred partner for the "
                    "launch."
                ],
                "found_by": "engine",
                "review": "accepted",
            },
        ],
        "history": [
            {
                "at": "2023-07-18T18:30:00+00:00",
                "to": "supported",
                "by": "editor",
                "note": "Llama 2 was presented on 18 July, five days after the FT report.",
                "evidence": "meta-llama2",
            },
        ],
    },
    {
        "key": "lecun-forecast",
        "text": (
            "Once open-source AI models are as good as closed ones, the market could "
            "change completely within weeks."
        ),
        "kind": "prediction",
        "tags": ["open-source", "market", "lecun"],
        "resolves_by": "2023-09-30",
        "appearances": [
            {
                "article": "lecun-aix",
                "quote": (
                    "Le jour où des plateformes open source seront aussi performantes que "
                    "les systèmes fermés, le paysage concurrentiel changera du tout au tout, "
                    "et cela peut arriver dans les semaines qui viennent"
                ),
                "speaker": "lecun",
                "outlet": None,
                "attribution": "a affirmé le chercheur",
                "anonymous_count": None,
            },
            {
                "article": "decoder-relay",
                "quote": (
                    "the market could be turned upside down within weeks once open-source "
                    "models are as capable as closed ones"
                ),
                "speaker": "lecun",
                "outlet": "les-echos",
                "attribution": "according to the French business daily Les Echos",
                "anonymous_count": None,
            },
        ],
        "evidence": [
            {
                "article": "code-llama",
                "stance": "discusses",
                "score": 0.58,
                "sentences": [
                    "Whether open models have upended the market within weeks, as Meta's "
                    "chief AI scientist Yann LeCun predicted in early July, is hard to "
                    "judge, since there is no agreed yardstick for such a shift."
                ],
                "found_by": "journalist",
                "review": "accepted",
            },
        ],
        "history": [
            {
                "at": "2023-09-15T14:00:00+00:00",
                "to": "unverifiable",
                "by": "editor",
                "note": (
                    "Neither 'as good as closed models' nor 'the market changes completely' "
                    "has an agreed measure, so no article can settle this forecast either way."
                ),
                "evidence": "code-llama",
            },
        ],
    },
    {
        "key": "commercial-use",
        "text": "Meta's next LLaMA model will be available for commercial use.",
        "kind": "prediction",
        "tags": ["llama", "meta", "commercial", "licence"],
        "resolves_by": "2023-12-31",
        "appearances": [
            {
                "article": "insider-june",
                "quote": (
                    "the successor would carry a licence that lets companies build "
                    "commercial products on it"
                ),
                "speaker": "people-familiar-plans",
                "outlet": None,
                "attribution": "the people said",
                "anonymous_count": None,
            },
        ],
        "evidence": [
            {
                "article": "meta-llama2",
                "stance": "supports",
                "score": 0.91,
                "sentences": [
                    "Unlike the first LLaMA, which was shared with researchers under a "
                    "non-commercial licence, Llama 2 is distributed under Meta's own "
                    "community licence, which permits commercial products."
                ],
                "found_by": "engine",
                "review": "accepted",
            },
        ],
        "history": [
            {
                "at": "2023-07-19T10:00:00+00:00",
                "to": "supported",
                "by": "editor",
                "note": (
                    "Llama 2's community licence allows commercial products; only the very "
                    "largest companies need a separate licence."
                ),
                "evidence": "meta-llama2",
            },
        ],
    },
    {
        "key": "zuckerberg-services",
        "text": (
            "Meta wants to use its new AI model for its own services and offer it to "
            "outside parties."
        ),
        "kind": "intent",
        "tags": ["llama", "meta", "zuckerberg"],
        "resolves_by": None,
        "appearances": [
            {
                "article": "ft-commercial",
                "quote": (
                    "Meta intends to use the technology across its own apps and also make "
                    "it available to others"
                ),
                "speaker": "zuckerberg",
                "outlet": None,
                "attribution": "Chief executive Mark Zuckerberg has told investors",
                "anonymous_count": None,
            },
            {
                "article": "decoder-relay",
                "quote": (
                    "Meta plans to run the model inside its own products and make it "
                    "available to other companies too"
                ),
                "speaker": "zuckerberg",
                "outlet": None,
                "attribution": "In Zuckerberg's words",
                "anonymous_count": None,
            },
        ],
        "evidence": [
            {
                "article": "meta-llama2",
                "stance": "supports",
                "score": 0.69,
                "sentences": [
                    "Llama 2 is available in Microsoft's Azure AI model catalogue and is "
                    "optimised to run locally on Windows.",
                    "Developers can also download it directly or reach it through Amazon "
                    "Web Services, Hugging Face and other providers.",
                ],
                "found_by": "engine",
                "review": "accepted",
            },
        ],
        "history": [
            {
                "at": "2023-07-20T11:00:00+00:00",
                "to": "supported",
                "by": "editor",
                "note": (
                    "Meta acted on the stated intent: Llama 2 is offered to outside "
                    "developers directly and through cloud providers. Use in Meta's own "
                    "products is consistent with the launch and not contradicted anywhere."
                ),
                "evidence": "meta-llama2",
            },
        ],
    },
    {
        "key": "fine-tuning-licensing",
        "text": (
            "Meta could keep the right to license its model commercially for itself and "
            "sell services such as fine-tuning."
        ),
        "kind": "prediction",
        "tags": ["llama", "meta", "licence", "business-model"],
        "resolves_by": "2024-06-30",
        "appearances": [
            {
                "article": "decoder-relay",
                "quote": (
                    "Meta could still hold back one lever: the sole right to sell commercial "
                    "licences, plus paid extras such as fine-tuning on a company's own data"
                ),
                "speaker": "the-decoder",
                "outlet": None,
                "attribution": "Our guess is",
                "anonymous_count": None,
            },
        ],
        "evidence": [
            {
                "article": "meta-llama2",
                "stance": "supports",
                "score": 0.52,
                "sentences": [
                    "Companies whose products had more than 700 million monthly active "
                    "users in the preceding calendar month must request a separate licence "
                    "from Meta, which it may grant at its discretion."
                ],
                "found_by": "engine",
                "review": "pending",
            },
        ],
        "history": [],
    },
    {
        "key": "llama1-research-licence",
        "text": (
            "The first LLaMA model was released only under a research licence and may not "
            "be used directly for commercial purposes."
        ),
        "kind": "fact",
        "tags": ["llama", "meta", "licence"],
        "resolves_by": None,
        "appearances": [
            {
                "article": "insider-june",
                "quote": (
                    "The first LLaMA was distributed under a research licence that ruled "
                    "out commercial use"
                ),
                "speaker": "the-information",
                "outlet": None,
                "attribution": "",  # the article states this without attribution
                "anonymous_count": None,
            },
            {
                "article": "decoder-relay",
                "quote": (
                    "The first LLaMA came with a licence restricted to research, which "
                    "rules out using it directly in commercial products"
                ),
                "speaker": "the-decoder",
                "outlet": None,
                "attribution": "",  # the article states this without attribution
                "anonymous_count": None,
            },
        ],
        "evidence": [
            {
                "article": "meta-llama2",
                "stance": "supports",
                "score": 0.74,
                "sentences": [
                    "Unlike the first LLaMA, which was shared with researchers under a "
                    "non-commercial licence, Llama 2 is distributed under Meta's own "
                    "community licence, which permits commercial products."
                ],
                "found_by": "engine",
                "review": "pending",
            },
        ],
        "history": [],
    },
    {
        "key": "break-openai",
        "text": "The main goal of Meta's new model is to break OpenAI's dominance.",
        "kind": "intent",
        "tags": ["meta", "openai", "strategy"],
        "resolves_by": None,
        "appearances": [
            {
                "article": "decoder-relay",
                "quote": "the real aim is to end OpenAI's grip on the market",
                "speaker": "insider-strategy",
                "outlet": None,
                "attribution": "An insider who knows Meta's strategy at the top level says",
                "anonymous_count": 1,
            },
        ],
        "evidence": [],
        "history": [],
    },
    {
        "key": "osi-not-open-source",
        "text": "Meta's Llama 2 licence does not meet the Open Source Definition.",
        "kind": "fact",
        "tags": ["llama", "licence", "open-source", "osi"],
        "resolves_by": None,
        "appearances": [
            {
                "article": "osi-licence",
                "quote": "Meta's licence for Llama 2 does not meet the Open Source Definition",
                "speaker": "osi",
                "outlet": None,
                "attribution": "the Open Source Initiative said on Thursday",
                "anonymous_count": None,
            },
        ],
        "evidence": [
            {
                "article": "code-llama",
                "stance": "discusses",
                "score": 0.41,
                "sentences": [
                    "Like Llama 2, Code Llama is free for research and commercial use under "
                    "the same community licence, including the cap for very large companies."
                ],
                "found_by": "engine",
                "review": "accepted",
            },
        ],
        "history": [
            {
                "at": "2023-07-24T10:45:00+00:00",
                "to": "supported",
                "by": "editor",
                "note": (
                    "Checked the licence text against the Open Source Definition: the user "
                    "cap and the use restrictions discriminate against persons and fields "
                    "of endeavour, as the OSI says."
                ),
                "evidence": None,
            },
        ],
    },
]
