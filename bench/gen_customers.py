#!/usr/bin/python3
"""Synthetic customers for monitoring benchmarks: common given names and surnames of many
countries recombined (people), and company names made of common words and legal forms.
Seeded, so the same file comes out every time. No real person is meant.

    /usr/bin/python3 bench/gen_customers.py COUNT > customers.csv

Columns are the batch input's: id,name,schema,birth_date,country.
"""
import csv
import random
import sys

GIVEN = """James Mary John Patricia Robert Jennifer Michael Linda David Elizabeth William Barbara
Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy Matthew Lisa Anthony Betty
Mark Sandra Paul Ashley Steven Emily Andrew Donna Joshua Michelle Kevin Carol Brian Amanda
Mohammed Ahmed Ali Omar Fatima Aisha Hassan Hussein Yusuf Mariam Mehmet Ayse Mustafa Emine
Wei Fang Jing Li Min Lei Yan Tao Hui Jun Hiroshi Yuki Takashi Akiko Minho Jiwoo Seojun
Ivan Olga Sergei Natalia Dmitri Elena Alexei Tatiana Andrei Irina Piotr Anna Jan Katarzyna
Hans Ursula Klaus Petra Jurgen Monika Pierre Marie Jean Camille Luc Sophie Giuseppe Giulia
Marco Francesca Antonio Rosa Jose Carmen Manuel Lucia Carlos Ana Juan Isabel Pedro Sofia
Raj Priya Amit Sunita Arjun Deepa Vikram Anjali Kwame Ama Chinedu Ngozi Thabo Zanele Abebe
Lars Ingrid Sven Astrid Mikko Aino Jens Karin Nikos Eleni Dimitris Maria Bogdan Ioana""".split()

FAMILY = """Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez
Lopez Gonzalez Wilson Anderson Taylor Moore Jackson Martin Lee Thompson White Harris Clark
Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams
Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Muller Schmidt Schneider Fischer
Weber Meyer Wagner Becker Schulz Hoffmann Dubois Durand Lefebvre Moreau Laurent Simon Michel
Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Ivanov Smirnov
Kuznetsov Popov Vasiliev Petrov Sokolov Mikhailov Novak Kowalski Nowak Wisniewski Dvorak
Wang Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Kim Park Choi Jung Kang
Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Khan Ahmed Hussain Rahman
Hassan Ibrahim Abdullah Mahmoud Yilmaz Kaya Demir Sahin Celik Singh Kumar Sharma Patel Gupta
Okafor Mensah Nkosi Mwangi Haile Silva Santos Oliveira Souza Pereira Costa Ferreira Alves
Jensen Nielsen Hansen Andersson Johansson Karlsson Virtanen Korhonen Papadopoulos Popescu""".split()

WORDS = """Global United Northern Atlantic Pacific Alpine Green Blue Silver Golden Star Delta
Summit Pioneer Premier Prime Apex Vertex Harbor River Valley Lake Coastal Metro Urban Royal
Eastern Western Southern Central Capital Horizon Vista Crescent Phoenix Falcon Eagle Lion
Oak Cedar Maple Pine Granite Iron Steel Copper Crystal Bright Swift Rapid Smart Digital
Trading Logistics Shipping Energy Foods Textiles Pharma Medical Construction Engineering
Consulting Systems Solutions Technologies Software Finance Capital Holdings Investments
Industries Manufacturing Agro Farms Marine Aviation Motors Electronics Chemicals Minerals""".split()

LEGAL = ["Ltd", "LLC", "GmbH", "SA", "SARL", "BV", "AG", "Inc", "Co Ltd", "Limited", "SpA",
         "AB", "Oy", "Pte Ltd", "JSC", "SRL", "Corp", "PLC"]

COUNTRIES = ["us", "gb", "de", "fr", "it", "es", "cn", "jp", "kr", "in", "br", "ru", "tr",
             "ae", "ng", "za", "pl", "nl", "se", "mx", ""]


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    rng = random.Random(20261130)
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["id", "name", "schema", "birth_date", "country"])
    for i in range(count):
        if rng.random() < 0.8:
            parts = [rng.choice(GIVEN)]
            if rng.random() < 0.3:
                parts.append(rng.choice(GIVEN))
            parts.append(rng.choice(FAMILY))
            if rng.random() < 0.2:
                parts.append(rng.choice(FAMILY))
            dob = "%04d-%02d-%02d" % (rng.randint(1940, 2004), rng.randint(1, 12),
                                      rng.randint(1, 28))
            w.writerow(["C%07d" % i, " ".join(parts), "Person", dob, rng.choice(COUNTRIES)])
        else:
            parts = [rng.choice(WORDS) for _ in range(rng.randint(1, 3))]
            name = " ".join(parts) + " " + rng.choice(LEGAL)
            w.writerow(["C%07d" % i, name, "Company", "", rng.choice(COUNTRIES)])


if __name__ == "__main__":
    main()
