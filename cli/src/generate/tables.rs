//! Static facts of the published Instacart data: departments, aisles, and
//! the marginal profiles the generator reproduces.

/// Department names, ids 1..=21 in this order.
pub const DEPARTMENTS: [&str; 21] = [
    "frozen",
    "other",
    "bakery",
    "produce",
    "alcohol",
    "international",
    "beverages",
    "pets",
    "dry goods pasta",
    "bulk",
    "personal care",
    "meat seafood",
    "pantry",
    "breakfast",
    "canned goods",
    "dairy eggs",
    "household",
    "babies",
    "snacks",
    "deli",
    "missing",
];

/// One aisle: name, department id, approximate number of products in the
/// published catalogue, and approximate share of all order lines (per mille).
pub struct AisleSpec {
    pub name: &'static str,
    pub department: u32,
    pub products: u32,
    pub line_permille: f64,
}

const fn a(name: &'static str, department: u32, products: u32, line_permille: f64) -> AisleSpec {
    AisleSpec {
        name,
        department,
        products,
        line_permille,
    }
}

/// Aisles, ids 1..=134 in this order.
pub const AISLES: [AisleSpec; 134] = [
    a("prepared soups salads", 20, 250, 3.0),
    a("specialty cheeses", 16, 520, 5.0),
    a("energy granola bars", 19, 832, 14.0),
    a("instant foods", 9, 620, 6.0),
    a("marinades meat preparation", 13, 280, 0.5),
    a("other", 2, 548, 1.1),
    a("packaged meat", 12, 150, 1.4),
    a("bakery desserts", 3, 300, 2.0),
    a("pasta sauce", 9, 480, 6.0),
    a("kitchen supplies", 17, 146, 0.4),
    a("cold flu allergy", 11, 420, 1.0),
    a("fresh pasta", 9, 120, 2.6),
    a("prepared meals", 20, 330, 3.0),
    a("tofu meat alternatives", 20, 180, 2.5),
    a("packaged seafood", 12, 140, 0.8),
    a("fresh herbs", 4, 95, 12.0),
    a("baking ingredients", 13, 620, 8.0),
    a("bulk dried fruits vegetables", 10, 12, 0.6),
    a("oils vinegars", 13, 480, 7.0),
    a("oral hygiene", 11, 860, 1.5),
    a("packaged cheese", 16, 891, 30.0),
    a("hair care", 11, 816, 1.0),
    a("popcorn jerky", 19, 430, 5.5),
    a("fresh fruits", 4, 382, 113.0),
    a("soap", 11, 280, 0.8),
    a("coffee", 7, 680, 7.0),
    a("beers coolers", 5, 385, 1.5),
    a("red wines", 5, 230, 1.0),
    a("honeys syrups nectars", 13, 240, 4.0),
    a("latino foods", 6, 400, 2.8),
    a("refrigerated", 7, 675, 17.5),
    a("packaged produce", 4, 32, 6.0),
    a("kosher foods", 6, 150, 0.3),
    a("frozen meat seafood", 1, 350, 3.5),
    a("poultry counter", 12, 80, 3.4),
    a("butter", 16, 180, 5.0),
    a("ice cream ice", 1, 1091, 16.0),
    a("frozen meals", 1, 880, 12.6),
    a("seafood counter", 12, 90, 0.7),
    a("dog food care", 8, 480, 1.2),
    a("cat food care", 8, 560, 1.8),
    a("frozen vegan vegetarian", 1, 310, 3.4),
    a("buns rolls", 3, 270, 4.0),
    a("eye ear care", 11, 120, 0.3),
    a("candy chocolate", 19, 1246, 7.5),
    a("mint gum", 19, 300, 1.5),
    a("vitamins supplements", 11, 1038, 3.0),
    a("breakfast bars pastries", 14, 290, 3.0),
    a("packaged poultry", 12, 270, 4.0),
    a("fruit vegetable snacks", 19, 300, 4.5),
    a("preserved dips spreads", 13, 360, 5.0),
    a("frozen breakfast", 1, 260, 4.0),
    a("cream", 16, 120, 8.0),
    a("paper goods", 17, 300, 6.0),
    a("shave needs", 11, 270, 0.3),
    a("diapers wipes", 18, 400, 0.8),
    a("granola", 14, 230, 3.5),
    a("frozen breads doughs", 1, 140, 1.4),
    a("canned meals beans", 15, 500, 9.0),
    a("trash bags liners", 17, 90, 1.5),
    a("cookies cakes", 19, 874, 10.0),
    a("white wines", 5, 150, 1.1),
    a("grains rice dried goods", 9, 510, 5.0),
    a("energy sports drinks", 7, 300, 2.0),
    a("protein meal replacements", 11, 500, 1.2),
    a("asian foods", 6, 600, 4.5),
    a("fresh dips tapenades", 20, 370, 11.5),
    a("bulk grains rice dried goods", 10, 26, 0.5),
    a("soup broth bouillon", 15, 580, 11.0),
    a("digestion", 11, 320, 0.6),
    a("refrigerated pudding desserts", 16, 200, 2.0),
    a("condiments", 13, 440, 7.0),
    a("facial care", 11, 500, 0.6),
    a("dish detergents", 17, 220, 3.0),
    a("laundry", 17, 500, 3.0),
    a("indian foods", 6, 110, 0.6),
    a("soft drinks", 7, 560, 11.5),
    a("crackers", 19, 747, 14.0),
    a("frozen pizza", 1, 490, 4.0),
    a("deodorants", 11, 380, 0.4),
    a("canned jarred vegetables", 15, 480, 9.0),
    a("baby accessories", 18, 44, 0.1),
    a("fresh vegetables", 4, 151, 106.0),
    a("milk", 16, 380, 27.0),
    a("food storage", 17, 220, 2.5),
    a("eggs", 16, 170, 14.0),
    a("more household", 17, 310, 0.8),
    a("spreads", 13, 500, 8.5),
    a("salad dressing toppings", 13, 460, 5.0),
    a("cocoa drink mixes", 7, 130, 0.6),
    a("soy lactosefree", 16, 460, 20.0),
    a("baby food formula", 18, 720, 12.0),
    a("breakfast bakery", 3, 440, 7.5),
    a("tea", 7, 894, 7.0),
    a("canned meat seafood", 15, 230, 1.6),
    a("lunch meat", 20, 390, 12.7),
    a("baking supplies decor", 13, 310, 0.5),
    a("juice nectars", 7, 792, 11.4),
    a("canned fruit applesauce", 15, 240, 2.6),
    a("missing", 21, 1258, 2.2),
    a("air fresheners candles", 17, 350, 1.0),
    a("baby bath body care", 18, 130, 0.2),
    a("ice cream toppings", 13, 150, 0.7),
    a("spices seasonings", 13, 797, 5.0),
    a("doughs gelatins bake mixes", 13, 570, 3.0),
    a("hot dogs bacon sausage", 12, 550, 10.0),
    a("chips pretzels", 19, 989, 22.0),
    a("other creams cheeses", 16, 320, 10.0),
    a("skin care", 11, 520, 0.6),
    a("pickled goods olives", 13, 460, 4.0),
    a("plates bowls cups flatware", 17, 160, 1.0),
    a("bread", 3, 580, 18.0),
    a("frozen juice", 1, 47, 0.3),
    a("cleaning products", 17, 630, 3.5),
    a("water seltzer sparkling water", 7, 340, 26.0),
    a("frozen produce", 1, 395, 17.0),
    a("nuts seeds dried fruit", 19, 500, 8.5),
    a("first aid", 11, 350, 0.6),
    a("frozen dessert", 1, 300, 1.2),
    a("yogurt", 16, 1026, 45.0),
    a("cereal", 14, 540, 11.8),
    a("meat counter", 12, 130, 1.2),
    a("packaged vegetables fruits", 4, 385, 55.0),
    a("spirits", 5, 300, 0.6),
    a("trail mix snack mix", 19, 140, 1.5),
    a("feminine care", 11, 260, 0.5),
    a("body lotions soap", 11, 580, 1.2),
    a("tortillas flat bread", 3, 200, 4.5),
    a("frozen appetizers sides", 1, 520, 5.5),
    a("hot cereal pancake mixes", 14, 270, 3.5),
    a("dry pasta", 9, 420, 7.0),
    a("beauty", 11, 280, 0.1),
    a("muscles joints pain relief", 11, 300, 0.6),
    a("specialty wines champagnes", 5, 80, 0.6),
];

/// Number of products in the published catalogue.
pub const FULL_PRODUCTS: u64 = 49_688;
/// Number of users in the published data.
pub const FULL_USERS: f64 = 206_209.0;
/// Share of users whose last order is in the train set (131,209 / 206,209).
pub const TRAIN_SHARE: f64 = 131_209.0 / 206_209.0;

/// Published order counts per day of week 0..6 (relative).
pub const DOW_WEIGHTS: [f64; 7] = [
    600_905.0, 587_478.0, 467_260.0, 436_972.0, 426_339.0, 453_368.0, 448_761.0,
];

/// Published order counts per hour of day 0..23 (relative).
pub const HOUR_WEIGHTS: [f64; 24] = [
    22_758.0, 12_398.0, 7_539.0, 5_474.0, 5_527.0, 9_569.0, 30_529.0, 91_868.0, 178_201.0,
    257_812.0, 288_418.0, 284_728.0, 272_841.0, 277_999.0, 283_042.0, 283_639.0, 272_553.0,
    228_795.0, 182_912.0, 140_569.0, 104_292.0, 78_109.0, 61_468.0, 40_043.0,
];

/// Relative number of users by total number of orders, for n = 4..=100.
/// 4..=20 follow the published histogram, 21..=99 a fitted power law with
/// exponential cut-off, and 100 the published pile-up of capped users.
pub fn orders_per_user_weights() -> Vec<f64> {
    const HEAD: [f64; 17] = [
        23_986.0, 19_590.0, 16_165.0, 13_850.0, 11_700.0, 10_190.0, 8_952.0, 7_815.0, 6_952.0,
        6_265.0, 5_598.0, 5_003.0, 4_577.0, 4_213.0, 3_900.0, 3_533.0, 3_235.0,
    ];
    let mut w: Vec<f64> = HEAD.to_vec();
    for n in 21..100 {
        let x = n as f64;
        let v = 3_235.0
            * super::detmath::powf(x / 20.0, -1.09)
            * super::detmath::exp(-(x - 20.0) / 35.0);
        w.push(v);
    }
    w.push(1_374.0);
    w
}
