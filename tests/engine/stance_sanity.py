"""A hand-written sanity set for the stance model: short, clean, newsroom-style articles.

Twelve claims from varied beats (politics, tech, health, sport, business, science), each
with four articles of 40-200 words: one that supports it, one that refutes it, one that
reports it without taking a side, and one on another story of the same beat. Every text
here was written for this file; none comes from FNC-1 or Emergent.

The first eight claims ("dev") may guide model decisions; the last four ("final") are a
check kept out of tuning, so a test on them measures how the model does on unseen claims.
"""

from typing import NamedTuple


class Case(NamedTuple):
    claim: str
    article: str
    label: str  # supports | refutes | discusses | unrelated
    part: str  # dev | final


_CLAIMS: list[tuple[str, str, dict[str, str]]] = [
    (
        "dev",
        "The government will raise the national minimum wage to 12 pounds an hour next April.",
        {
            "supports": (
                "The minimum wage will rise to 12 pounds an hour from April, the Treasury "
                "announced on Wednesday. The chancellor confirmed the increase in a statement "
                "to parliament, saying around two million low-paid workers would get a pay "
                "rise. Business groups said the change was expected and that most employers "
                "had already planned for it."
            ),
            "refutes": (
                "The Treasury has denied reports that the national minimum wage will go up to "
                "12 pounds an hour next April. A spokesperson said no such decision had been "
                'taken and called the figure circulating online "pure speculation". The '
                "rate for next year will be set only after the Low Pay Commission reports in "
                "the autumn, officials said, and ministers have made no commitment to any "
                "particular number."
            ),
            "discusses": (
                "Ministers are said to be considering a rise in the minimum wage to 12 pounds "
                "an hour from next April, according to people familiar with the talks. The "
                "Treasury declined to comment. Unions say the figure is still too low, while "
                "some small firms warn that a sharp increase could cost jobs. It is not yet "
                "clear whether the plan will appear in the budget."
            ),
            "unrelated": (
                "Voters in three northern constituencies go to the polls on Thursday in "
                "by-elections triggered by the resignation of sitting MPs. Turnout is "
                "expected to be low, and pollsters say the results will be a test of the "
                "opposition's support outside the big cities. Counting starts overnight and "
                "the first declarations are due by early Friday morning."
            ),
        },
    ),
    (
        "dev",
        "Nintendo will launch a successor to the Switch console this year.",
        {
            "supports": (
                "Nintendo has confirmed that its next console, the successor to the hugely "
                "popular Switch, will go on sale before the end of this year. The company's "
                "president announced the release window during an investor briefing in Kyoto "
                "and said more details about the hardware and launch games would follow in "
                "the coming months."
            ),
            "refutes": (
                "Nintendo says there will be no new console this year. The Japanese company "
                "dismissed reports of a Switch successor launching within months as false, "
                "telling investors that its focus for the rest of the year remains games for "
                "the current Switch. Analysts had expected new hardware, but Nintendo "
                "insisted no launch was planned for this financial year."
            ),
            "discusses": (
                "Rumours that Nintendo could launch a successor to the Switch this year have "
                "spread after a supplier hinted at increased chip orders. Nintendo has not "
                "commented on the reports. Some analysts believe a new console is likely "
                "within twelve months, while others think the company may wait until next "
                "year. Fans are now watching for any announcement."
            ),
            "unrelated": (
                "Sony reported record quarterly profit on Tuesday, helped by strong sales in "
                "its music and film divisions. The company raised its full-year forecast and "
                "said demand for image sensors used in smartphones had recovered. Shares in "
                "the Tokyo-based group rose four percent in early trading."
            ),
        },
    ),
    (
        "dev",
        "A new malaria vaccine cut deaths among young children by half in a trial in Ghana.",
        {
            "supports": (
                "A new malaria vaccine halved the number of deaths among young children in a "
                "large trial in Ghana, researchers reported on Monday. The study followed "
                "more than 8,000 children under five for two years. Deaths from malaria fell "
                "by 51 percent in the vaccinated group compared with children who received a "
                "placebo, the team wrote in The Lancet. Health officials called the result a "
                "major step forward."
            ),
            "refutes": (
                "Claims on social media that a new malaria vaccine cut child deaths by half "
                "in Ghana are not true, the country's health ministry said. The trial in "
                "question has not finished and no results on deaths have been published. "
                "The researchers running the study also said the figure was made up and "
                "urged people not to share the posts."
            ),
            "discusses": (
                "Researchers in Ghana are testing a new malaria vaccine in young children, "
                "and early reports suggest it may reduce deaths sharply. Some accounts claim "
                "the death rate was cut by half, but the data have not yet been reviewed by "
                "independent scientists. The World Health Organization said it would examine "
                "the findings once they are published."
            ),
            "unrelated": (
                "Hospitals across the region are under pressure as the flu season arrives "
                "early this year. Doctors urged older people and those with chronic illness "
                "to get their flu jab as soon as possible. Waiting times in emergency "
                "departments have risen, and some planned operations have been postponed to "
                "free beds."
            ),
        },
    ),
    (
        "dev",
        "Lionel Messi will retire from international football after the Copa America.",
        {
            "supports": (
                "Lionel Messi has announced that the Copa America will be his last tournament "
                "for Argentina. In an interview broadcast on Sunday, the 37-year-old forward "
                "said he would retire from international football once the competition ends. "
                "The Argentine football association thanked him for two decades with the "
                "national team."
            ),
            "refutes": (
                "Lionel Messi has no intention of quitting the national team after the Copa "
                "America, his representatives said on Friday, rejecting reports of his "
                "international retirement as untrue. Argentina coach Lionel Scaloni also "
                "denied the story and said Messi remains available for the World Cup "
                "qualifiers later this year."
            ),
            "discusses": (
                "Speculation is growing that Lionel Messi could retire from international "
                "football after the Copa America. Argentine media reported that the forward "
                "has told team-mates he is thinking about his future. Messi himself has not "
                "said anything publicly, and the national team declined to comment on the "
                "reports."
            ),
            "unrelated": (
                "Manchester City won the Premier League title for a fourth season in a row "
                "after beating West Ham 3-1 on the final day. Phil Foden scored twice in the "
                "first half and Rodri added a third after the break. Arsenal, who won their "
                "own match, finished two points behind in second place."
            ),
        },
    ),
    (
        "dev",
        "Tesla is recalling 300,000 cars because of faulty seat belts.",
        {
            "supports": (
                "Tesla is recalling about 300,000 vehicles in the United States to fix seat "
                "belts that may not latch properly, according to a filing with the federal "
                "road safety regulator. The company said owners will be notified by mail and "
                "the repair will be carried out free of charge at its service centres. Tesla "
                "said it was not aware of any injuries linked to the fault."
            ),
            "refutes": (
                "Tesla is not recalling 300,000 cars over seat belts, the carmaker and the "
                "road safety regulator both said on Tuesday. A document shared widely online "
                "that appeared to announce the recall was a fake, the regulator said, adding "
                "that it had received no such filing. Tesla called the story false."
            ),
            "discusses": (
                "Tesla may have to recall as many as 300,000 cars over problems with seat "
                "belts, according to a report in a trade newspaper. The regulator is "
                "reportedly looking into complaints from owners, but no recall has been "
                "filed. Tesla did not respond to requests for comment, and it is unclear how "
                "many models could be affected."
            ),
            "unrelated": (
                "General Motors will build a new battery plant in Ohio, creating about 1,500 "
                "jobs, the company said on Thursday. The factory will supply cells for the "
                "carmaker's electric pickup trucks and is expected to open in 2027. State "
                "officials offered tax breaks worth several hundred million dollars to win "
                "the project."
            ),
        },
    ),
    (
        "dev",
        "Scientists have found liquid water beneath the ice at the south pole of Mars.",
        {
            "supports": (
                "Scientists have found a lake of liquid water under the ice cap at the south "
                "pole of Mars, using radar data from a European orbiter. The team said the "
                "signals showed a body of water about 20 kilometres across, buried 1.5 "
                "kilometres below the surface. The finding, published in the journal "
                "Science, is the strongest evidence yet that liquid water exists on the "
                "planet today."
            ),
            "refutes": (
                "A new study says there is no liquid water beneath the south pole of Mars "
                "after all. Researchers who reanalysed the radar signals found that layers "
                "of clay and volcanic rock explain the bright reflections, contradicting the "
                "earlier claim of a buried lake. The authors say the water explanation is "
                "now very unlikely."
            ),
            "discusses": (
                "Could there be liquid water under the ice at the south pole of Mars? Some "
                "researchers think radar echoes point to a buried lake, but others argue the "
                "signals could have other causes. The debate is likely to continue until new "
                "missions collect better data, scientists said at a conference this week."
            ),
            "unrelated": (
                "NASA postponed the launch of a weather satellite on Saturday because of "
                "strong winds at the Florida launch site. The agency said the rocket and the "
                "spacecraft were in good condition and that it would try again on Tuesday. "
                "The satellite will help forecasters track hurricanes in the Atlantic."
            ),
        },
    ),
    (
        "dev",
        "The mayor of Chicago has resigned.",
        {
            "supports": (
                "The mayor of Chicago resigned on Monday, ending weeks of pressure over a "
                "contracts scandal at City Hall. In a short letter to the city council, the "
                "mayor said stepping down was the right thing to do for the city. The "
                "council's president will serve as acting mayor until a special election is "
                "held."
            ),
            "refutes": (
                "The mayor of Chicago has not resigned, City Hall said on Monday, after a "
                'fake letter announcing the resignation was posted on social media. "The '
                'mayor is at work and has no plans to step down," a spokesperson said. The '
                "city has asked the platform to remove the fake post."
            ),
            "discusses": (
                "Is the mayor of Chicago about to resign? Rumours swept through City Hall on "
                "Monday after the mayor cancelled several public appearances. Aides would "
                "neither confirm nor deny that a resignation was being considered. Council "
                "members said they had heard the reports but had received no official "
                "word."
            ),
            "unrelated": (
                "Chicago's public transit agency will add more buses on its busiest routes "
                "from next month after complaints about long waits. The agency said it had "
                "hired 200 new drivers this year. Riders' groups welcomed the change but "
                "said trains were still running less often than before the pandemic."
            ),
        },
    ),
    (
        "dev",
        "Starbucks will close all of its stores in Italy.",
        {
            "supports": (
                "Starbucks is pulling out of Italy and will close all of its stores there by "
                "the end of the year, the company said on Thursday. The coffee chain, which "
                "opened its first Italian cafe in Milan in 2018, said the business had not "
                "met expectations. Employees will be offered jobs elsewhere or severance "
                "pay, the company said."
            ),
            "refutes": (
                'Starbucks has rejected reports that it is leaving Italy. "We are not closing '
                'our stores in Italy. In fact we plan to open more," a company spokesperson '
                "said on Thursday, calling the reports wrong. The chain currently runs about "
                "twenty cafes in the country and says sales have grown this year."
            ),
            "discusses": (
                "Starbucks could close its stores in Italy, according to an Italian business "
                "newspaper that cited unnamed sources. The report said the company was "
                "reviewing its presence in the country. Starbucks did not comment. Analysts "
                "noted that the chain has struggled in a market with a strong coffee culture, "
                "but said a full exit was far from certain."
            ),
            "unrelated": (
                "Nestle reported higher sales in the first quarter as price increases made up "
                "for weaker demand in some markets. The Swiss food group said it expected "
                "growth to pick up in the second half. Its shares were little changed in "
                "Zurich."
            ),
        },
    ),
    (
        "final",
        "The European Union has fined Apple 500 million euros over music streaming rules.",
        {
            "supports": (
                "The European Commission fined Apple 500 million euros on Monday for "
                "breaking competition rules in music streaming. Regulators found that the "
                "company had stopped app developers from telling users about cheaper "
                "subscriptions outside its App Store. Apple said it would appeal the "
                "decision in the EU courts."
            ),
            "refutes": (
                "Apple has not been fined 500 million euros by the European Union, the "
                "European Commission said on Tuesday, dismissing a widely shared report as "
                "false. The investigation into music streaming is still open and no decision "
                "has been taken, a spokesperson said. Apple also said it had received no "
                "fine."
            ),
            "discusses": (
                "The European Union is expected to fine Apple over its music streaming rules, "
                "according to people familiar with the case, with some reports putting the "
                "penalty at 500 million euros. The Commission would not comment on the "
                "timing. Apple has argued that its App Store rules protect users. A final "
                "decision may come within weeks."
            ),
            "unrelated": (
                "Samsung unveiled its new folding phones at an event in Paris on Wednesday. "
                "The devices are lighter than last year's models and have bigger batteries, "
                "the company said. They will go on sale next month, with prices starting at "
                "about 1,100 euros."
            ),
        },
    ),
    (
        "final",
        "Drinking coffee every day raises the risk of heart disease, a new study has found.",
        {
            "supports": (
                "People who drink coffee every day have a higher risk of heart disease, "
                "according to a new study of 200,000 adults. The researchers found that "
                "daily coffee drinkers were 15 percent more likely to develop heart problems "
                "over ten years than those who rarely drank it. The authors said the results "
                "held even after accounting for smoking and weight."
            ),
            "refutes": (
                "A large new study has found no link between daily coffee drinking and heart "
                "disease, contradicting fears that the drink is bad for the heart. Researchers "
                "followed 200,000 adults for ten years and saw no increase in risk among "
                'coffee drinkers. "There is no evidence that coffee harms the heart," the '
                "lead author said."
            ),
            "discusses": (
                "Does coffee raise the risk of heart disease? A new study suggests it might, "
                "but experts say the evidence is far from settled. Earlier research has come "
                "to the opposite conclusion, and the authors themselves say the link could "
                "be explained by other habits. More work is needed before any advice "
                "changes, doctors said."
            ),
            "unrelated": (
                "A new drug for Alzheimer's disease slowed memory loss in a late-stage "
                "trial, its maker said on Thursday. Patients who received the treatment "
                "declined about a quarter more slowly than those on a placebo. The company "
                "plans to seek approval from regulators later this year."
            ),
        },
    ),
    (
        "final",
        "Sweden will host the 2030 Winter Olympics.",
        {
            "supports": (
                "Sweden will host the 2030 Winter Olympics, the International Olympic "
                "Committee decided on Wednesday. Stockholm and the ski resort of Are won the "
                "vote ahead of a rival bid from Switzerland. Swedish officials celebrated the "
                "result, which brings the Winter Games to the country for the first time."
            ),
            "refutes": (
                "Sweden will not host the 2030 Winter Olympics. The International Olympic "
                "Committee picked the French Alps instead, ending a long campaign by "
                "Stockholm. Reports earlier in the week that Sweden had won were wrong, the "
                "committee said, and Swedish officials admitted their bid had failed."
            ),
            "discusses": (
                "Sweden is among the favourites to host the 2030 Winter Olympics, according "
                "to people close to the bidding process. The International Olympic "
                "Committee will announce its choice next month. Swedish organisers say they "
                "are hopeful, but rival bids remain strong and the outcome is uncertain."
            ),
            "unrelated": (
                "Norway topped the medal table at the world cross-country skiing "
                "championships, which ended on Sunday in Finland. Norwegian athletes won "
                "eleven gold medals, including both relay races. Organisers said more than "
                "150,000 spectators attended over the ten days of competition."
            ),
        },
    ),
    (
        "final",
        "A giant sinkhole swallowed a bus in the centre of Lima.",
        {
            "supports": (
                "A giant sinkhole opened in the centre of Lima on Tuesday and swallowed a "
                "city bus, police said. The driver and four passengers were pulled out with "
                "minor injuries. Video from the scene shows the bus lying on its side at the "
                "bottom of a hole about ten metres deep. Officials blamed a burst water main "
                "under the street."
            ),
            "refutes": (
                "Pictures claiming to show a bus swallowed by a sinkhole in central Lima are "
                "fake, the city authorities said. The images were taken in another country "
                "several years ago, fact-checkers found, and no sinkhole has opened in Lima. "
                "Police urged people to stop sharing the hoax."
            ),
            "discusses": (
                "Reports that a sinkhole swallowed a bus in the centre of Lima have spread "
                "quickly online, but officials have not confirmed them. Local media said "
                "emergency services were sent to the area, and it was unclear whether anyone "
                "was hurt. The city said it was looking into the reports."
            ),
            "unrelated": (
                "Peru's congress approved a new budget for road repairs on Monday after "
                "months of debate. The plan includes money for highways damaged by floods "
                "in the north of the country. The transport minister said work would begin "
                "before the rainy season."
            ),
        },
    ),
]

CASES: list[Case] = [
    Case(claim, article, label, part)
    for part, claim, articles in _CLAIMS
    for label, article in articles.items()
]
DEV = [c for c in CASES if c.part == "dev"]
FINAL = [c for c in CASES if c.part == "final"]
