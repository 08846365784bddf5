//! Word lists for realistic product names, one entry per aisle (ids 1..=134).
//!
//! Each entry is `(bases, varieties)`, `|`-separated. A base is the product
//! noun ("Greek Yogurt"), a variety a flavour or qualifier placed before it
//! ("Strawberry Greek Yogurt"), or after it when written with a leading `+`
//! ("Overnight Diapers Size 6").

pub const AISLE_WORDS: [(&str, &str); 134] = [
    // 1 prepared soups salads
    ("Chicken Noodle Soup|Tomato Bisque|Caesar Salad|Chicken Salad|Potato Salad|Pasta Salad|Quinoa Salad|Lentil Soup|Minestrone Soup|Clam Chowder|Coleslaw|Egg Salad|Tuna Salad",
     "Classic|Homestyle|Roasted|Mediterranean|Southwest|Creamy|Lemon Herb|Greek|Kale|Vegan|Spicy|Garden"),
    // 2 specialty cheeses
    ("Brie|Gouda|Manchego|Goat Cheese|Gruyere|Blue Cheese|Camembert|Fontina|Burrata|Havarti|Asiago|Fresh Mozzarella|Pecorino Romano|Aged Cheddar",
     "Aged|Smoked|Double Cream|Herb|Truffle|Creamy|Extra Sharp|Reserve|Imported|Cranberry|Garlic & Herb|Honey|Whole Milk"),
    // 3 energy granola bars
    ("Protein Bar|Granola Bar|Chewy Granola Bars|Energy Bar|Nut Bar|Crispy Bar|Breakfast Bar|Fruit & Nut Bar|Oat Bar",
     "Chocolate Chip|Peanut Butter|Dark Chocolate Sea Salt|Almond|Blueberry|Oats & Honey|Cranberry Almond|Coconut|Chocolate Brownie|Cashew|Lemon|Peanut Butter Chocolate|Banana Nut"),
    // 4 instant foods
    ("Ramen Noodle Soup|Macaroni & Cheese|Instant Oatmeal|Cup Noodles|Instant Mashed Potatoes|Rice Sides|Pasta Sides|Noodle Bowl|Couscous|Stuffing Mix",
     "Chicken|Beef|Shrimp|Original|White Cheddar|Spicy|Butter & Herb|Creamy|Teriyaki|Roasted Garlic|Three Cheese|Savory"),
    // 5 marinades meat preparation
    ("Marinade|Barbecue Sauce|Meat Rub|Brine Mix|Stir Fry Sauce|Fajita Seasoning Mix|Taco Seasoning|Grilling Sauce|Steak Sauce",
     "Teriyaki|Mesquite|Honey Garlic|Hickory Smoked|Lemon Pepper|Chipotle|Korean BBQ|Sweet & Spicy|Original|Garlic Herb|Kansas City Style|Carolina Gold"),
    // 6 other
    ("Gift Card|Reusable Bag|Flower Bouquet|Birthday Candles|Party Balloons|Greeting Card|Kitchen Twine|Ice Pack|Tote Bag|Matches",
     "Assorted|Mixed|Classic|Large|Seasonal|Holiday|Deluxe|Small|Eco|Festive"),
    // 7 packaged meat
    ("Beef Patties|Ground Beef|Pork Chops|Meatballs|Steak Tips|Pork Tenderloin|Beef Brisket|Lamb Chops|Short Ribs|Carne Asada",
     "Grass Fed|Angus|Lean|Italian Style|Seasoned|Boneless|Bone-In|All Natural|Premium|85% Lean|Thick Cut|Marinated"),
    // 8 bakery desserts
    ("Cupcakes|Brownies|Cheesecake|Pie|Cookies|Layer Cake|Cannoli|Macarons|Tart|Pound Cake|Eclairs",
     "Chocolate|Vanilla|Apple|Pumpkin|Red Velvet|Lemon|Strawberry|Carrot|Key Lime|Chocolate Fudge|Salted Caramel|Cherry"),
    // 9 pasta sauce
    ("Pasta Sauce|Marinara Sauce|Alfredo Sauce|Pesto|Vodka Sauce|Tomato Basil Sauce|Arrabbiata Sauce|Bolognese Sauce",
     "Traditional|Roasted Garlic|Four Cheese|Tomato Basil|Spicy|Mushroom|Homestyle|Garden Vegetable|Light|Classic|Sweet Basil|Tuscan"),
    // 10 kitchen supplies
    ("Pie Pan|Cake Pan|Baking Sheet|Muffin Liners|Skewers|Measuring Spoons|Spatula|Parchment Paper|Cooling Rack|Loaf Pan",
     "Nonstick|Aluminum|Silicone|Bamboo|Disposable|Heavy Duty|Round|Square|Stainless Steel|Mini"),
    // 11 cold flu allergy
    ("Cough Drops|Allergy Relief Tablets|Nasal Spray|Cold & Flu Relief|Saline Nasal Mist|Throat Lozenges|Chest Rub|Cough Syrup|Sinus Relief|Zinc Lozenges",
     "Honey Lemon|Maximum Strength|Non-Drowsy|Nighttime|Daytime|Children's|Cherry|Menthol|Extra Strength|24 Hour|Original|Multi-Symptom"),
    // 12 fresh pasta
    ("Ravioli|Tortellini|Fettuccine|Linguine|Gnocchi|Lasagna Sheets|Pappardelle|Agnolotti",
     "Four Cheese|Spinach & Ricotta|Mushroom|Butternut Squash|Chicken & Prosciutto|Egg|Whole Wheat|Lobster|Sausage|Pesto|Three Cheese|Sweet Italian Sausage"),
    // 13 prepared meals
    ("Chicken Enchiladas|Meatloaf|Mac & Cheese|Lasagna|Chicken Tikka Masala|Burrito|Pad Thai|Sushi Roll|Rotisserie Chicken|Shepherd's Pie|Fried Rice|Stuffed Peppers",
     "Classic|Family Size|Spicy|Vegetarian|Homestyle|Roasted|California|Buffalo|Teriyaki|Lemon Pepper|BBQ|Chipotle"),
    // 14 tofu meat alternatives
    ("Tofu|Tempeh|Veggie Burger|Meatless Crumbles|Plant-Based Sausage|Seitan|Veggie Burgers|Meatless Chicken Strips",
     "Extra Firm|Firm|Sprouted|Smoked|Teriyaki|Original|Spicy Italian|Super Firm|Silken|Garden|Black Bean|Lemon Pepper"),
    // 15 packaged seafood
    ("Smoked Salmon|Shrimp|Crab Cakes|Tilapia Fillets|Cod Fillets|Scallops|Salmon Burgers|Lox|Tuna Steaks",
     "Wild Caught|Atlantic|Nova|Cooked|Raw|Peeled & Deveined|Alaskan|Cold Smoked|Lemon Pepper|Sockeye|Jumbo|Farm Raised"),
    // 16 fresh herbs
    ("Cilantro|Parsley|Basil|Mint|Dill|Rosemary|Thyme|Chives|Sage|Oregano|Italian Parsley|Green Onions|Lemongrass|Tarragon",
     "Fresh|+Bunch|Living|Flat Leaf|Curly|Sweet|Hydroponic|Local|Baby|Thai"),
    // 17 baking ingredients
    ("All-Purpose Flour|Granulated Sugar|Baking Soda|Baking Powder|Brown Sugar|Pure Vanilla Extract|Chocolate Chips|Powdered Sugar|Cornstarch|Almond Flour|Coconut Flour|Active Dry Yeast|Cocoa Powder",
     "Unbleached|Light|Dark|Semi-Sweet|Pure|Gluten Free|Whole Wheat|Unsweetened|Natural|Bittersweet|Fine|Superfine"),
    // 18 bulk dried fruits vegetables
    ("Dried Mango|Dried Apricots|Dried Cranberries|Banana Chips|Dried Figs|Raisins|Dried Cherries|Dried Tomatoes",
     "Bulk|Unsulfured|Sweetened|Sun Dried|Golden|Tart|Turkish|Mission"),
    // 19 oils vinegars
    ("Olive Oil|Extra Virgin Olive Oil|Coconut Oil|Canola Oil|Balsamic Vinegar|Apple Cider Vinegar|Avocado Oil|Red Wine Vinegar|Sesame Oil|Vegetable Oil|Rice Vinegar|Cooking Spray",
     "Unfiltered|Cold Pressed|Pure|Light|Virgin|Toasted|Refined|Raw|Aged|Italian|California|Spanish"),
    // 20 oral hygiene
    ("Toothpaste|Mouthwash|Toothbrush|Dental Floss|Whitening Strips|Floss Picks|Mouth Rinse|Tooth Gel",
     "Whitening|Fluoride|Fresh Mint|Cool Mint|Sensitive|Kids|Cinnamon|Soft|Medium|Charcoal|Total Care|Enamel Care"),
    // 21 packaged cheese
    ("Shredded Mozzarella|Sharp Cheddar Cheese|String Cheese|Sliced Swiss Cheese|Parmesan Cheese|Colby Jack|Pepper Jack Cheese|Shredded Mexican Blend|Provolone Slices|Cheddar Cheese Sticks|Feta Cheese Crumbles|Monterey Jack|Mild Cheddar Cheese",
     "Shredded|Sliced|Low Moisture|Part Skim|Extra Sharp|Mild|Fat Free|Reduced Fat|Grated|Natural|Finely Shredded|Aged|Vermont"),
    // 22 hair care
    ("Shampoo|Conditioner|Hair Spray|Styling Gel|Dry Shampoo|Hair Mask|Leave-In Conditioner|Curl Cream|Hair Oil|2 in 1 Shampoo & Conditioner",
     "Moisturizing|Volumizing|Tea Tree|Argan Oil|Coconut|Clarifying|Daily|Repair|Color Safe|Lavender|Anti-Dandruff|Smoothing"),
    // 23 popcorn jerky
    ("Popcorn|Beef Jerky|Turkey Jerky|Kettle Corn|Microwave Popcorn|Meat Sticks|Popcorn Clusters",
     "Sea Salt|Butter|Teriyaki|Original|White Cheddar|Spicy|Peppered|Caramel|Sweet & Salty|Smoked|Lightly Salted|Sweet & Hot"),
    // 24 fresh fruits
    ("Honeycrisp Apple|Gala Apple|Fuji Apple|Granny Smith Apple|Pink Lady Apple|Bartlett Pear|Bosc Pear|Red Seedless Grapes|Green Seedless Grapes|Navel Orange|Cara Cara Orange|Meyer Lemon|Lemon|Lime|Hass Avocado|Blueberries|Raspberries|Strawberries|Blackberries|Mango|Ataulfo Mango|Kiwi|Pineapple|Cantaloupe|Honeydew Melon|Seedless Watermelon|Bing Cherries|Red Plums|Yellow Peaches|White Nectarines|Clementines|Grapefruit|Pomegranate|Banana|Papaya|Figs|Tangerines|Dragon Fruit|Apricots|Mandarins",
     "Large|Small|Bag of|Extra Fancy|Jumbo|Fresh|Local|Sweet|Ripe|Baby|+Package|+Bag"),
    // 25 soap
    ("Hand Soap|Bar Soap|Liquid Hand Soap|Foaming Hand Soap|Body Wash|Hand Soap Refill|Castile Soap",
     "Lavender|Unscented|Moisturizing|Antibacterial|Oatmeal|Lemon Verbena|Tea Tree|Eucalyptus|Coconut|Aloe|Shea Butter|Citrus"),
    // 26 coffee
    ("Ground Coffee|Whole Bean Coffee|K-Cup Pods|Cold Brew Coffee|Instant Coffee|Espresso|Coffee Pods|Iced Coffee",
     "Medium Roast|Dark Roast|French Roast|Breakfast Blend|Colombian|Decaf|House Blend|Light Roast|Vanilla|Hazelnut|Italian Roast|Sumatra|Ethiopian"),
    // 27 beers coolers
    ("IPA|Lager|Pale Ale|Hard Seltzer|Hard Cider|Stout|Amber Ale|Pilsner|Wheat Beer|Porter|Beer",
     "Session|Double|Hazy|Light|Imperial|Black Cherry|Mango|Lime|Belgian|Golden|Craft|Seasonal"),
    // 28 red wines
    ("Cabernet Sauvignon|Pinot Noir|Merlot|Malbec|Zinfandel|Red Blend|Syrah|Chianti|Tempranillo|Rioja",
     "California|Reserve|Napa Valley|Sonoma County|Oregon|Old Vine|Paso Robles|Central Coast|Estate|Vintage|Mendoza|Columbia Valley"),
    // 29 honeys syrups nectars
    ("Honey|Maple Syrup|Agave Nectar|Pancake Syrup|Raw Honey|Honey Bear|Molasses|Date Syrup",
     "Pure|Clover|Wildflower|Grade A Dark|Raw|Manuka|Light|Amber|Orange Blossom|Unfiltered|Local|Blue Agave"),
    // 30 latino foods
    ("Salsa|Refried Beans|Taco Shells|Enchilada Sauce|Tortilla Chips|Chipotle Peppers in Adobo|Green Chiles|Mole Sauce|Black Beans|Hot Sauce|Tostadas",
     "Medium|Mild|Hot|Verde|Roasted|Traditional|Vegetarian|Chipotle|Authentic|Fire Roasted|Restaurant Style|Spicy"),
    // 31 refrigerated
    ("Orange Juice|Cold Brew|Kombucha|Lemonade|Iced Tea|Green Juice|Coconut Water|Smoothie|Apple Juice|Oat Milk Latte",
     "Original|No Pulp|Some Pulp|Ginger|Raspberry|Unsweetened|Mango|Trilogy|Gingerade|Strawberry|Cold Pressed|100%"),
    // 32 packaged produce
    ("Salad Kit|Stir Fry Vegetables|Veggie Tray|Fruit Cup|Apple Slices|Mixed Fruit|Pomegranate Arils",
     "Caesar|Asian|Chopped|Sweet Kale|Fresh Cut|Mixed|Snack|Family Size|Southwest|Harvest"),
    // 33 kosher foods
    ("Matzo|Gefilte Fish|Matzo Ball Soup Mix|Horseradish|Challah|Borscht|Potato Pancakes",
     "Traditional|Unsalted|Whole Wheat|Egg|Original|Sweet|Kosher for Passover|Low Sodium|Red|Everything"),
    // 34 frozen meat seafood
    ("Chicken Breasts|Shrimp|Salmon Fillets|Turkey Burgers|Chicken Nuggets|Fish Sticks|Beef Burgers|Tilapia|Meatballs|Chicken Tenders|Cod",
     "Boneless Skinless|Wild|Breaded|Grilled|Cooked|Raw|Jumbo|Lemon Pepper|Crispy|Homestyle|Beer Battered|Italian Style"),
    // 35 poultry counter
    ("Chicken Breast|Chicken Thighs|Whole Chicken|Chicken Drumsticks|Ground Turkey|Chicken Wings|Turkey Breast|Chicken Tenders",
     "Boneless Skinless|Free Range|Air Chilled|Bone-In|Fresh|Natural|Antibiotic Free|Family Pack|Pasture Raised|Young"),
    // 36 butter
    ("Butter|Salted Butter|Unsalted Butter|Ghee|Spreadable Butter|Butter Sticks|Cultured Butter|Buttery Spread",
     "Grass-Fed|Sweet Cream|European Style|Irish|Whipped|Light|Pure|Original|Country Crock|Vegan|Clarified|Salted"),
    // 37 ice cream ice
    ("Ice Cream|Gelato|Sorbet|Frozen Yogurt|Ice Cream Bars|Ice Cream Sandwiches|Popsicles|Ice Pops|Non-Dairy Frozen Dessert|Bagged Ice",
     "Vanilla Bean|Chocolate|Mint Chocolate Chip|Cookies & Cream|Strawberry|Salted Caramel|Coffee|Butter Pecan|Rocky Road|Half Baked|Chocolate Chip Cookie Dough|Sea Salt Caramel|Mango|Raspberry|Coconut|Pistachio"),
    // 38 frozen meals
    ("Burrito|Pot Pie|Lasagna|Enchiladas|Mac & Cheese|Bowl|Entree|Stir Fry|Chicken Alfredo|Fried Rice|Pad Thai|Burrito Bowl|Tikka Masala",
     "Chicken|Beef|Bean & Cheese|Vegetable|Teriyaki|Sweet & Sour|Spinach|Three Cheese|Classic|Protein|Gluten Free|Vegan|Lean|Cheese"),
    // 39 seafood counter
    ("Salmon Fillet|Shrimp|Cod Fillet|Halibut|Scallops|Tuna Steak|Crab Legs|Mussels|Tilapia Fillet|Lobster Tail",
     "Wild|Atlantic|Farm Raised|Fresh|Sockeye|Coho|King|Jumbo|Sea|Pacific|Previously Frozen|Alaskan"),
    // 40 dog food care
    ("Dog Food|Dog Treats|Puppy Food|Dog Biscuits|Dental Chews|Wet Dog Food|Dog Shampoo|Rawhide Bones",
     "Chicken & Rice|Lamb & Rice|Grain Free|Beef|Salmon|Small Breed|Large Breed|Adult|Senior|Peanut Butter|Natural|Turkey"),
    // 41 cat food care
    ("Cat Food|Cat Treats|Cat Litter|Wet Cat Food|Kitten Food|Pate|Cat Food Pouches",
     "Ocean Fish|Tuna|Salmon|Chicken|Turkey & Giblets|Indoor|Clumping|Scented|Unscented|Grain Free|Seafood Medley|Classic|Adult"),
    // 42 frozen vegan vegetarian
    ("Veggie Burgers|Meatless Meatballs|Vegan Pizza|Bean Burrito|Veggie Bowl|Plant-Based Nuggets|Falafel|Cauliflower Crust|Veggie Sausage Patties",
     "Original|Black Bean|Spicy|Garden|Chik'n|Southwest|Mushroom|Quinoa|Lentil|Vegan|Gluten Free|California"),
    // 43 buns rolls
    ("Hamburger Buns|Hot Dog Buns|Dinner Rolls|Brioche Buns|Kaiser Rolls|Sandwich Rolls|Slider Buns|Pretzel Rolls|Croissants",
     "Whole Wheat|Potato|Sesame|Hawaiian Sweet|Multigrain|Classic|Sweet|Sourdough|Gluten Free|Mini|Onion|Butter"),
    // 44 eye ear care
    ("Eye Drops|Contact Lens Solution|Ear Drops|Lubricant Eye Drops|Eye Wash|Ear Wax Removal Kit|Reading Glasses",
     "Sensitive|Original|Multi-Purpose|Advanced Relief|Redness Relief|Preservative Free|Maximum|Soothing|Daily|Hydrating"),
    // 45 candy chocolate
    ("Dark Chocolate Bar|Milk Chocolate Bar|Gummy Bears|Peanut Butter Cups|Chocolate Truffles|Jelly Beans|Licorice|Caramels|Hard Candy|Sour Gummies|Chocolate Covered Almonds|Fruit Chews|Candy Bar|Chocolate Squares",
     "Sea Salt|Almond|Caramel|Mint|Extra Dark|72% Cacao|Raspberry|Peanut Butter|Toffee|Orange|Assorted|Sour|Original|Crispy Rice|Coconut|Cherry"),
    // 46 mint gum
    ("Sugar Free Gum|Mints|Chewing Gum|Breath Mints|Bubble Gum|Gum",
     "Peppermint|Spearmint|Wintergreen|Cinnamon|Polar Ice|Sweet Mint|Cool Mint|Fruit|Watermelon|Mint|+Mega Pack|Sugar Free"),
    // 47 vitamins supplements
    ("Multivitamin|Vitamin D3|Vitamin C|Fish Oil|Probiotic|Magnesium|Collagen Peptides|Vitamin B12|Zinc|Melatonin|Omega-3|Calcium|Elderberry Gummies|Turmeric|Iron",
     "Women's|Men's|Kids|+Gummies|+Chewable|Extra Strength|High Potency|+Softgels|+Capsules|Liquid|Daily|Adult|+1000 IU|Ultra|+Tablets"),
    // 48 breakfast bars pastries
    ("Toaster Pastries|Breakfast Biscuits|Soft Baked Bars|Cereal Bars|Oatmeal Squares|Fruit Bars|Breakfast Bites",
     "Frosted Strawberry|Blueberry|Brown Sugar Cinnamon|Apple Cinnamon|Raspberry|Chocolate Chip|Honey Oat|Cherry|Mixed Berry|S'mores"),
    // 49 packaged poultry
    ("Chicken Breast Tenderloins|Ground Turkey|Chicken Sausage|Chicken Thighs|Turkey Bacon|Chicken Wings|Chicken Drumsticks|Ground Chicken|Turkey Breast Cutlets",
     "Boneless Skinless|93% Lean|99% Fat Free|All Natural|Free Range|Spinach & Feta|Apple|Sweet Italian|Antibiotic Free|Lean|Hickory Smoked|Roasted Garlic"),
    // 50 fruit vegetable snacks
    ("Fruit Snacks|Applesauce Pouches|Fruit Strips|Veggie Straws|Fruit Leather|Freeze Dried Fruit|Apple Chips|Vegetable Crisps|Fruit Bars",
     "Mixed Berry|Strawberry|Sea Salt|Apple|Tropical|Mango|Bunny|Cinnamon|Banana|Sweet Potato|Wild Berry|Peach"),
    // 51 preserved dips spreads
    ("Hummus|Artichoke Dip|Salsa Con Queso|Bean Dip|Tapenade|Bruschetta|Spinach Dip|Baba Ganoush|Roasted Red Pepper Spread",
     "Classic|Roasted Garlic|Spicy|Roasted Red Pepper|Jalapeno|Olive|Mild|Smoky|Original|Sun Dried Tomato|Kalamata|Cilantro Lime"),
    // 52 frozen breakfast
    ("Waffles|Pancakes|Breakfast Sandwiches|Breakfast Burritos|French Toast Sticks|Hash Browns|Egg Bites|Sausage Patties|Egg White Patties",
     "Homestyle|Blueberry|Buttermilk|Whole Grain|Sausage Egg & Cheese|Bacon|Gluten Free|Cinnamon|Chocolate Chip|Turkey Sausage|Mini|Protein"),
    // 53 cream
    ("Half & Half|Heavy Whipping Cream|Coffee Creamer|Sour Cream|Whipped Cream|Light Cream|Creme Fraiche|Whipped Topping",
     "French Vanilla|Hazelnut|Fat Free|Light|Original|Caramel Macchiato|Sweet Cream|Ultra-Pasteurized|Non-Dairy|Extra Creamy|Vanilla|Cinnamon"),
    // 54 paper goods
    ("Paper Towels|Toilet Paper|Facial Tissues|Napkins|Bath Tissue|Tissues|Bathroom Tissue|Dinner Napkins",
     "Select-A-Size|Ultra Soft|Ultra Strong|Double Roll|Mega Roll|Recycled|2-Ply|Unscented|Family Pack|Lotion|Everyday|Bamboo"),
    // 55 shave needs
    ("Shave Gel|Razor|Razor Blade Cartridges|Shave Cream|Aftershave|Disposable Razors|Shave Butter",
     "Sensitive Skin|Men's|Women's|Aloe|Moisturizing|Cool|5 Blade|Twin Blade|Original|Ultra Glide|Coconut|Unscented"),
    // 56 diapers wipes
    ("Diapers|Baby Wipes|Training Pants|Overnight Diapers|Swim Diapers|Wipes Refill",
     "+Size 1|+Size 2|+Size 3|+Size 4|+Size 5|+Size 6|Newborn|Sensitive|Unscented|Fragrance Free|Pure|Cloth"),
    // 57 granola
    ("Granola|Granola Clusters|Muesli|Grain Free Granola|Granola Bites",
     "Honey Almond|Maple Pecan|Vanilla Almond|Dark Chocolate|Coconut|Blueberry|Cranberry|Oats & Honey|Low Sugar|Peanut Butter|Cinnamon|Ancient Grain"),
    // 58 frozen breads doughs
    ("Garlic Bread|Pizza Dough|Puff Pastry|Pie Crust|Dinner Rolls|Cookie Dough|Texas Toast|Biscuits|Croissant Dough",
     "Classic|Whole Wheat|Deep Dish|Five Cheese|Buttermilk|Chocolate Chip|Flaky|Garlic|Sourdough|Gluten Free|Mini|Southern Style"),
    // 59 canned meals beans
    ("Black Beans|Chili|Garbanzo Beans|Pinto Beans|Kidney Beans|Baked Beans|Cannellini Beans|Refried Beans|Ravioli|Lentils|Great Northern Beans",
     "Low Sodium|No Salt Added|Vegetarian|Homestyle|Spicy|Original|Maple|Dark Red|Hearty|Reduced Sodium|Turkey|Seasoned"),
    // 60 trash bags liners
    ("Trash Bags|Kitchen Bags|Drawstring Trash Bags|Compostable Bags|Lawn & Leaf Bags|Wastebasket Liners",
     "Tall Kitchen|Large|Heavy Duty|Odor Control|Unscented|Lavender|Flex|Recycled|13 Gallon|30 Gallon|Small|Extra Strong"),
    // 61 cookies cakes
    ("Sandwich Cookies|Chocolate Chip Cookies|Shortbread Cookies|Oatmeal Cookies|Snack Cakes|Wafers|Graham Crackers|Biscotti|Ginger Snaps|Animal Crackers|Fig Bars|Sugar Cookies",
     "Chocolate|Vanilla|Double Chocolate|Lemon|Mini|Soft Baked|Crunchy|Oatmeal Raisin|Butter|Gluten Free|Almond|Honey|Peanut Butter|Coconut"),
    // 62 white wines
    ("Chardonnay|Sauvignon Blanc|Pinot Grigio|Riesling|Rose|Moscato|Prosecco|Pinot Gris|White Blend|Vinho Verde",
     "California|Reserve|Marlborough|Italian|Dry|Sparkling|Sonoma Coast|Unoaked|Estate|Willamette Valley|Sweet|Provence"),
    // 63 grains rice dried goods
    ("Long Grain White Rice|Brown Rice|Quinoa|Jasmine Rice|Basmati Rice|Rolled Oats|Lentils|Split Peas|Couscous|Arborio Rice|Wild Rice|Farro",
     "Whole Grain|Tri-Color|Sprouted|Instant|Thai|Long Grain|Red|Ready to Heat|Gluten Free|Old Fashioned|Steel Cut|Pearled"),
    // 64 energy sports drinks
    ("Sports Drink|Energy Drink|Electrolyte Water|Energy Shot|Coconut Electrolyte Drink|Protein Water",
     "Lemon Lime|Fruit Punch|Glacier Freeze|Cool Blue|Orange|Sugar Free|Original|Tropical|Berry|Watermelon|Grape|Extra Strength"),
    // 65 protein meal replacements
    ("Protein Powder|Protein Shake|Meal Replacement Shake|Whey Protein|Plant Protein|Nutrition Shake|Protein Drink",
     "Chocolate|Vanilla|Strawberry|Cookies & Cream|Unflavored|Rich Chocolate|Vanilla Bean|Cafe Mocha|Salted Caramel|High Protein|Peanut Butter|Banana"),
    // 66 asian foods
    ("Soy Sauce|Sriracha|Coconut Milk|Rice Noodles|Teriyaki Sauce|Miso Paste|Curry Paste|Fish Sauce|Hoisin Sauce|Seaweed Snacks|Ramen|Dumplings|Sweet Chili Sauce|Panko Bread Crumbs",
     "Low Sodium|Red|Green|Yellow|Thai|Light|Less Sodium|Gluten Free|White|Roasted|Japanese|Korean|Sesame|Garlic"),
    // 67 fresh dips tapenades
    ("Hummus|Guacamole|Salsa|Tzatziki|Spinach Artichoke Dip|French Onion Dip|Pico de Gallo|Queso|Ranch Dip|Baba Ghanoush",
     "Classic|Original|Roasted Red Pepper|Roasted Garlic|Spicy|Mild|Medium|Lemon|Everything|Chipotle|Pine Nut|Black Olive"),
    // 68 bulk grains rice dried goods
    ("Rolled Oats|Quinoa|Lentils|Brown Rice|Black Beans|Chickpeas|Split Peas|Steel Cut Oats",
     "Bulk|Red|Green|French|Tri-Color|Old Fashioned|Sprouted|Long Grain"),
    // 69 soup broth bouillon
    ("Chicken Broth|Vegetable Broth|Bone Broth|Chicken Noodle Soup|Tomato Soup|Beef Broth|Bouillon Cubes|Lentil Soup|Cream of Mushroom Soup|Minestrone|Chicken Stock|Split Pea Soup",
     "Low Sodium|Free Range|Reduced Sodium|Fat Free|Homestyle|Hearty|Roasted|Creamy|Light|Condensed|Unsalted|Classic"),
    // 70 digestion
    ("Antacid|Fiber Supplement|Probiotic Capsules|Laxative|Gas Relief|Digestive Enzymes|Stool Softener|Upset Stomach Relief",
     "Extra Strength|Ultra Strength|Assorted Berries|Orange|Chewable|Sugar Free|Daily|Gentle|Maximum Strength|Cherry|Mint|Natural"),
    // 71 refrigerated pudding desserts
    ("Pudding Cups|Rice Pudding|Gelatin Cups|Chocolate Mousse|Flan|Tapioca Pudding|Gelatin Snacks|Cheesecake Cups",
     "Chocolate|Vanilla|Butterscotch|Strawberry|Caramel|Sugar Free|Dark Chocolate|Cinnamon|Lemon|Orange|Banana|Original"),
    // 72 condiments
    ("Ketchup|Yellow Mustard|Dijon Mustard|Mayonnaise|Hot Sauce|Relish|Barbecue Sauce|Worcestershire Sauce|Horseradish|Tartar Sauce|Steak Sauce|Buffalo Sauce",
     "Tomato|Spicy|Honey|Real|Light|Whole Grain|Stone Ground|Avocado Oil|Original|Sweet|Chipotle|Classic|Squeeze|Vegan"),
    // 73 facial care
    ("Face Wash|Facial Cleanser|Moisturizer|Makeup Remover Wipes|Face Mask|Micellar Water|Toner|Eye Cream|Facial Serum|Exfoliating Scrub",
     "Gentle|Hydrating|Oil-Free|Acne|Vitamin C|Daily|Sensitive Skin|Charcoal|Rose Water|Night|+SPF 30|Aloe"),
    // 74 dish detergents
    ("Dish Soap|Dishwasher Detergent|Dishwasher Pods|Rinse Aid|Dishwasher Cleaner|Dish Liquid|Automatic Dishwasher Packs",
     "Lemon|Free & Clear|Original|Fresh Scent|Lavender|Ultra|Platinum|Grapefruit|Unscented|Concentrated|Green Tea|Lime"),
    // 75 laundry
    ("Laundry Detergent|Fabric Softener|Dryer Sheets|Laundry Pods|Stain Remover|Bleach|Oxi Booster|Wool Dryer Balls|Scent Booster",
     "Free & Clear|Original|Fresh Scent|Lavender|HE|Sensitive Skin|Mountain Spring|Unscented|Concentrated|Spring Meadow|Color Safe|Ultra"),
    // 76 indian foods
    ("Tikka Masala Sauce|Naan|Basmati Rice|Chana Masala|Curry Sauce|Mango Chutney|Dal Makhani|Paneer|Garam Masala|Papadums",
     "Mild|Spicy|Garlic|Original|Madras|Butter|Korma|Vindaloo|Whole Wheat|Palak|Tandoori|Jeera"),
    // 77 soft drinks
    ("Cola|Ginger Ale|Lemon Lime Soda|Root Beer|Club Soda|Tonic Water|Orange Soda|Cream Soda|Sparkling Soda|Ginger Beer|Soda",
     "Diet|Zero Sugar|Caffeine Free|Cherry|Vanilla|Natural|Classic|Mini Cans|Craft|Black Cherry|Original|Grape"),
    // 78 crackers
    ("Crackers|Wheat Crackers|Rice Crackers|Saltine Crackers|Water Crackers|Cheese Crackers|Crispbread|Pita Crackers|Snack Crackers|Flatbread Crisps|Thin Crisps",
     "Original|Whole Grain|Sea Salt|Rosemary|Cracked Pepper|Multigrain|Cheddar|Everything|Honey|Thin|Gluten Free|Baked|Sesame|Cheddar Bunnies"),
    // 79 frozen pizza
    ("Pizza|Thin Crust Pizza|Pizza Bites|French Bread Pizza|Flatbread Pizza|Deep Dish Pizza|Cauliflower Crust Pizza|Rising Crust Pizza",
     "Pepperoni|Four Cheese|Margherita|Supreme|Sausage|Cheese|Veggie|BBQ Chicken|Hawaiian|Uncured Pepperoni|Spinach & Mushroom|Meat Lovers|Cheddar Cheese"),
    // 80 deodorants
    ("Deodorant|Antiperspirant|Deodorant Stick|Antiperspirant Deodorant|Natural Deodorant|Spray Deodorant",
     "Unscented|Lavender|Fresh|Powder|Clinical Strength|Invisible Solid|Cool Rush|Coconut|Sport|Men's|Women's|Aluminum Free"),
    // 81 canned jarred vegetables
    ("Diced Tomatoes|Tomato Paste|Sweet Corn|Green Beans|Crushed Tomatoes|Tomato Sauce|Artichoke Hearts|Roasted Red Peppers|Sweet Peas|Whole Peeled Tomatoes|Sliced Beets|Pumpkin Puree|Sliced Carrots",
     "No Salt Added|Fire Roasted|Petite|Whole Kernel|Cut|French Style|San Marzano|Italian Style|Marinated|Low Sodium|Sweet|+With Basil"),
    // 82 baby accessories
    ("Baby Bottles|Pacifiers|Sippy Cup|Teething Ring|Bibs|Baby Spoons|Bottle Nipples",
     "Slow Flow|Orthodontic|Newborn|BPA Free|Silicone|Spill Proof|Anti-Colic|Fast Flow|Natural|Soft"),
    // 83 fresh vegetables
    ("Yellow Onion|Red Onion|Garlic|Zucchini|Cucumber|Broccoli Crown|Carrots|Celery|Asparagus|Red Bell Pepper|Green Bell Pepper|Jalapeno Peppers|Sweet Potato|Russet Potato|Roma Tomato|Tomato on the Vine|Ginger Root|Cauliflower|Kale|Romaine Lettuce|Spinach|Brussels Sprouts|Green Beans|White Mushrooms|Eggplant|Butternut Squash|Shallot|Leeks|Beets|Corn on the Cob|Red Potatoes|Yellow Squash|Bok Choy|Radishes",
     "Large|Baby|Fresh|Red|Yellow|Sweet|Local|Loose|Mini|+Bunch|+Bag|+Package"),
    // 84 milk
    ("Whole Milk|Reduced Fat Milk|2% Reduced Fat Milk|Fat Free Milk|1% Low Fat Milk|Chocolate Milk|Lactose Free Milk|Skim Milk|Ultra-Filtered Milk|Half Gallon Whole Milk",
     "Grassfed|Vitamin D|Ultra-Pasteurized|Local|Lowfat|A2|Family Size|Grade A|Pasture Raised|Homogenized"),
    // 85 food storage
    ("Storage Bags|Sandwich Bags|Aluminum Foil|Plastic Wrap|Freezer Bags|Food Storage Containers|Snack Bags|Wax Paper|Slider Bags",
     "Gallon|Quart|Zipper|Heavy Duty|Reusable|Recycled|Non-Stick|Double Zipper|Large|Glass|Compostable|Everyday"),
    // 86 eggs
    ("Large Brown Eggs|Large White Eggs|Eggs|Extra Large Eggs|Egg Whites|Hard Boiled Eggs|Jumbo Eggs|Grade AA Large Eggs",
     "Cage Free|Free Range|Pasture Raised|Grade A|Omega-3|Local|Brown|+Dozen|Vegetarian Fed|Liquid"),
    // 87 more household
    ("Light Bulbs|Batteries|Sponges|Scrub Brush|Rubber Gloves|Mop Refills|Lint Roller|Extension Cord|Duct Tape|Lighter",
     "LED|AA|AAA|Non-Scratch|Heavy Duty|Soft White|Reusable|Multi-Purpose|Long Lasting|Daylight|9V|Large"),
    // 88 spreads
    ("Peanut Butter|Almond Butter|Strawberry Preserves|Grape Jelly|Hazelnut Spread|Cashew Butter|Raspberry Jam|Apricot Fruit Spread|Sunflower Butter|Orange Marmalade",
     "Creamy|Crunchy|Natural|Smooth|No Stir|Seedless|Reduced Sugar|Honey Roasted|Salted|Unsalted|Chocolate|Old Fashioned"),
    // 89 salad dressing toppings
    ("Ranch Dressing|Balsamic Vinaigrette|Caesar Dressing|Italian Dressing|Blue Cheese Dressing|Croutons|Salad Toppers|Thousand Island Dressing|Honey Mustard Dressing|Greek Vinaigrette|Bacon Bits",
     "Light|Lite|Classic|Creamy|Fat Free|Garlic|Seasoned|Avocado|Lemon|Sesame Ginger|Raspberry|Goddess"),
    // 90 cocoa drink mixes
    ("Hot Cocoa Mix|Drink Mix|Lemonade Mix|Chai Latte Mix|Chocolate Syrup|Malted Milk|Powdered Drink Mix",
     "Milk Chocolate|Dark Chocolate|Peppermint|Sugar Free|Rich|Fruit Punch|Pink|Original|Marshmallow|Salted Caramel|Vanilla|Spiced"),
    // 91 soy lactosefree
    ("Almond Milk|Soy Milk|Oat Milk|Coconut Milk|Cashew Milk|Almondmilk|Rice Milk|Lactose Free Milk|Coconutmilk|Pea Milk",
     "Unsweetened|Original|Vanilla|Unsweetened Vanilla|Chocolate|Light|Extra Creamy|Barista Edition|Unsweetened Original|Plain|Protein|Reduced Fat"),
    // 92 baby food formula
    ("Baby Food Pouch|Infant Formula|Toddler Snacks|Puffs|Yogurt Melts|Baby Cereal|Teething Wafers|Stage 2 Baby Food|Toddler Formula",
     "Apple Blueberry|Pear & Spinach|Banana|Sweet Potato|Strawberry|Mango|Pumpkin Banana|Oatmeal|Sensitive|Mixed Berry|Carrot|Apple Mango Kale|Gentle"),
    // 93 breakfast bakery
    ("Bagels|English Muffins|Croissants|Muffins|Danish|Cinnamon Rolls|Scones|Donuts|Coffee Cake",
     "Plain|Everything|Blueberry|Cinnamon Raisin|Whole Wheat|Original|Sourdough|Butter|Chocolate Chip|Sesame|Mini|Multigrain|Glazed|Lemon Poppy Seed"),
    // 94 tea
    ("Green Tea|Black Tea|Herbal Tea|Chamomile Tea|Earl Grey Tea|Peppermint Tea|Chai Tea|Iced Tea|Matcha|Oolong Tea|Rooibos Tea|English Breakfast Tea|Tea Bags",
     "Decaf|Lemon|Honey|Ginger|Unsweetened|Sweet|Jasmine|Raspberry|Vanilla|Mint|Robust Golden Unsweetened|Hibiscus|Caffeine Free"),
    // 95 canned meat seafood
    ("Chunk Light Tuna|Solid White Albacore Tuna|Wild Salmon|Sardines|Chicken Breast|Anchovies|Crab Meat|Corned Beef Hash|Chopped Clams",
     "+In Water|+In Olive Oil|Wild|Skipjack|Pink|No Salt Added|Smoked|Boneless|Premium|Chunk|Lemon Pepper|Solid"),
    // 96 lunch meat
    ("Turkey Breast|Ham|Roast Beef|Salami|Pepperoni|Chicken Breast|Bologna|Prosciutto|Pastrami|Mortadella|Capicola",
     "Oven Roasted|Smoked|Honey|Black Forest|Uncured|Genoa|Hickory Smoked|Sliced|Mesquite|Low Sodium|Italian Dry|Thin Sliced|Maple"),
    // 97 baking supplies decor
    ("Cake Pan|Cupcake Liners|Sprinkles|Food Coloring|Decorating Icing|Birthday Candles|Cake Decorating Kit|Cookie Cutters|Piping Bags",
     "Rainbow|Assorted|Gold|Classic|Neon|Chocolate|Holiday|Mini|Round|Jumbo|Pastel|Star"),
    // 98 juice nectars
    ("Orange Juice|Apple Juice|Cranberry Juice Cocktail|Grape Juice|Lemonade|Coconut Water|Tomato Juice|Pomegranate Juice|Vegetable Juice|Pineapple Juice|Mango Nectar|Peach Mango Juice|Juice Boxes",
     "100%|Light|Sparkling|Not From Concentrate|Pure|Unfiltered|Low Sodium|Original|Tart Cherry|White|Pulp Free|Kids"),
    // 99 canned fruit applesauce
    ("Applesauce|Mandarin Oranges|Sliced Peaches|Pineapple Chunks|Fruit Cocktail|Pear Halves|Dark Sweet Cherries|Applesauce Cups|Mixed Fruit|Cranberry Sauce",
     "Unsweetened|Cinnamon|+In Juice|Lite|No Sugar Added|Natural|Yellow Cling|Tropical|Whole|Jellied|Chunky|Bartlett"),
    // 100 missing (names borrowed from other aisles)
    ("", ""),
    // 101 air fresheners candles
    ("Air Freshener|Scented Candle|Plug-In Refill|Room Spray|Tealight Candles|Car Air Freshener|Odor Eliminator|Reed Diffuser",
     "Lavender|Vanilla|Fresh Linen|Apple Cinnamon|Ocean Breeze|Eucalyptus|Unscented|Citrus|Gardenia|Pine|Clean Cotton|Sandalwood"),
    // 102 baby bath body care
    ("Baby Wash|Baby Lotion|Diaper Rash Cream|Baby Shampoo|Baby Oil|Baby Powder|Baby Sunscreen|Baby Shampoo & Body Wash",
     "Lavender|Tear Free|Calming|Unscented|Sensitive|Gentle|Daily|Original|Eczema|Shea|Oatmeal|Fragrance Free"),
    // 103 ice cream toppings
    ("Hot Fudge|Caramel Sauce|Whipped Cream|Sprinkles|Chocolate Syrup|Maraschino Cherries|Waffle Cones|Sugar Cones|Magic Shell",
     "Classic|Salted|Rainbow|Chocolate|Dark Chocolate|Sugar Free|Original|Butterscotch|Strawberry|Mini"),
    // 104 spices seasonings
    ("Sea Salt|Black Pepper|Garlic Powder|Ground Cinnamon|Cumin|Paprika|Chili Powder|Oregano|Onion Powder|Italian Seasoning|Turmeric|Red Pepper Flakes|Bay Leaves|Everything Bagel Seasoning|Seasoning Salt|All-Seasons Salt|Kosher Salt|Ground Ginger|Nutmeg|Cayenne Pepper",
     "Ground|Whole|Smoked|Pure|Fine|Coarse|Himalayan Pink|Crushed|California|Cracked|Sweet|Iodized"),
    // 105 doughs gelatins bake mixes
    ("Cake Mix|Brownie Mix|Pancake Mix|Cornbread Mix|Gelatin Dessert|Muffin Mix|Cookie Mix|Frosting|Pie Filling|Pizza Crust Mix|Biscuit Mix",
     "Chocolate Fudge|Yellow|Devil's Food|Gluten Free|Vanilla|Cream Cheese|Lemon|Strawberry|Buttermilk|Blueberry|Triple Chocolate|Funfetti|Honey"),
    // 106 hot dogs bacon sausage
    ("Bacon|Hot Dogs|Italian Sausage|Breakfast Sausage|Chicken Sausage|Bratwurst|Andouille Sausage|Kielbasa|Beef Franks|Chorizo|Turkey Bacon|Sausage Links",
     "Uncured|Applewood Smoked|Thick Cut|Hickory Smoked|Sweet|Hot|Beef|Maple|Center Cut|Mild|Spicy|Uncured Beef|Chicken Apple"),
    // 107 chips pretzels
    ("Potato Chips|Tortilla Chips|Kettle Chips|Pretzels|Pita Chips|Veggie Chips|Corn Chips|Baked Chips|Snap Pea Crisps|Pretzel Crisps|Cheese Puffs|Sweet Potato Chips|Rice Chips",
     "Sea Salt|Lightly Salted|Sea Salt & Vinegar|Barbecue|Sour Cream & Onion|Jalapeno|Original|Salt & Pepper|Cheddar|Honey Mustard|Blue Corn|Hint of Lime|Unsalted|Mini|Reduced Fat"),
    // 108 other creams cheeses
    ("Cream Cheese|Ricotta Cheese|Cottage Cheese|Mascarpone|Whipped Cream Cheese|Neufchatel Cheese|Goat Cheese|Feta Cheese|Cream Cheese Spread|Fromage Blanc",
     "Original|Whole Milk|Part Skim|Low Fat|Chive & Onion|Strawberry|Garden Vegetable|Honey|Small Curd|Large Curd|Light|Garlic & Herb|Plain"),
    // 109 skin care
    ("Sunscreen|Body Lotion|Lip Balm|Hand Cream|Aloe Vera Gel|Sunscreen Lotion|Sunscreen Spray|Cocoa Butter|Healing Ointment",
     "+SPF 30|+SPF 50|Daily Moisture|Sensitive|Unscented|Coconut|Mineral|Sport|Shea Butter|Intensive|Vanilla|Original"),
    // 110 pickled goods olives
    ("Kosher Dill Pickles|Kalamata Olives|Green Olives|Pickle Spears|Sauerkraut|Bread & Butter Pickles|Pepperoncini|Capers|Pickled Jalapenos|Castelvetrano Olives|Sweet Relish|Kimchi",
     "Pitted|Whole|Sliced|Spicy|Garlic|Baby|Stuffed|Crinkle Cut|Raw|Classic|Zesty|Napa Cabbage"),
    // 111 plates bowls cups flatware
    ("Paper Plates|Plastic Cups|Paper Bowls|Plastic Forks|Disposable Cutlery|Party Cups|Paper Cups|Compostable Plates|Straws",
     "Everyday|Heavy Duty|Compostable|Clear|Red|White|Soak Proof|Hot Cup|Dinner|Dessert|Bamboo|Large"),
    // 112 bread
    ("Whole Wheat Bread|Sourdough Bread|Multigrain Bread|White Bread|Rye Bread|Sandwich Bread|Baguette|Ciabatta|Bread|Sprouted Grain Bread|Pita Bread|Cinnamon Raisin Bread|Honey Wheat Bread",
     "100%|Classic|Seeded|Thin Sliced|Gluten Free|Hearty|Country|Artisan|Everything|Soft|Ancient Grain|Italian|Sprouted|21 Whole Grains"),
    // 113 frozen juice
    ("Orange Juice Concentrate|Lemonade Concentrate|Limeade Concentrate|Apple Juice Concentrate|Grape Juice Concentrate|Fruit Punch Concentrate",
     "Frozen|Pink|Original|Pulp Free|Country Style|Calcium|100%|Pure"),
    // 114 cleaning products
    ("All-Purpose Cleaner|Glass Cleaner|Disinfecting Wipes|Bathroom Cleaner|Toilet Bowl Cleaner|Floor Cleaner|Multi-Surface Cleaner|Kitchen Cleaner|Oven Cleaner|Wood Polish|Cleaning Spray",
     "Lemon|Lavender|Free & Clear|Original|Fresh Scent|Streak-Free|Citrus|Disinfecting|Unscented|Eucalyptus|Green|Heavy Duty"),
    // 115 water seltzer sparkling water
    ("Sparkling Water|Spring Water|Seltzer Water|Mineral Water|Alkaline Water|Purified Water|Sparkling Mineral Water|Flavored Water|Distilled Water|Natural Spring Water",
     "Lemon|Lime|Grapefruit|Pamplemousse|Black Cherry|Natural|Orange|Berry|Raspberry Lime|Cucumber|Mango|Coconut|Passionfruit|Tangerine|Unflavored|Key Lime"),
    // 116 frozen produce
    ("Blueberries|Strawberries|Broccoli Florets|Peas|Mixed Vegetables|Sweet Corn|Mango Chunks|Cauliflower Rice|Chopped Spinach|Green Beans|Edamame|Mixed Berries|Riced Broccoli|Stir Fry Vegetables|Sweet Potato Fries",
     "Frozen|Steamable|Petite|Cut|Chopped|Wild|Whole|Sliced|Super Sweet|Shelled|Triple Berry|Roasted|Garden"),
    // 117 nuts seeds dried fruit
    ("Almonds|Cashews|Walnuts|Pistachios|Pecans|Mixed Nuts|Peanuts|Sunflower Seeds|Chia Seeds|Pumpkin Seeds|Dried Cranberries|Raisins|Dates|Dried Mango|Macadamia Nuts|Flax Seeds|Hemp Hearts",
     "Roasted|Raw|Salted|Unsalted|Lightly Salted|Honey Roasted|Sea Salt|Dry Roasted|Whole|Sliced|Natural|Medjool|Smoked|+Halves"),
    // 118 first aid
    ("Bandages|Adhesive Bandages|Antibiotic Ointment|Hydrogen Peroxide|Rubbing Alcohol|Gauze Pads|First Aid Kit|Cotton Balls|Cotton Swabs|Medical Tape|Thermometer|Hand Sanitizer",
     "Flexible Fabric|Waterproof|Assorted|Sterile|Kids|Original|70% Isopropyl|Sheer|Travel Size|Maximum Strength|Gentle|Digital"),
    // 119 frozen dessert
    ("Frozen Pie|Cheesecake|Frozen Fruit Bars|Mochi|Ice Cream Cake|Frozen Custard|Cream Puffs|Fruit Sorbet Bars|Frozen Yogurt Bars",
     "Key Lime|Apple|Pumpkin|New York Style|Strawberry|Coconut|Mango|Chocolate|Mini|Lemon|Cherry|Vanilla"),
    // 120 yogurt
    ("Greek Yogurt|Yogurt|Nonfat Greek Yogurt|Whole Milk Yogurt|Lowfat Yogurt|Kefir|Icelandic Skyr|Drinkable Yogurt|Yogurt Tubes|Coconut Milk Yogurt|Plain Yogurt|Fruit on the Bottom Yogurt|Greek Strained Yogurt",
     "Strawberry|Blueberry|Vanilla|Plain|Honey|Peach|Strawberry Banana|Mixed Berry|Black Cherry|Raspberry|Lemon|Key Lime|Coconut|Mango|Total 0%|Light|Pineapple|Cherry|Total 2%|Vanilla Bean"),
    // 121 cereal
    ("Cereal|Granola Cereal|Corn Flakes|Bran Flakes|Oat Cereal|Puffed Rice|Whole Grain Cereal|Shredded Wheat|Crispy Rice Cereal|Oat Clusters|Raisin Bran|Toasted Oat Cereal|O's Cereal",
     "Honey Nut|Original|Cinnamon|Frosted|Whole Grain|Chocolate|Berry|Multigrain|Toasted|Peanut Butter|Low Sugar|Kids|Family Size|Almond"),
    // 122 meat counter
    ("Ribeye Steak|Ground Beef|New York Strip Steak|Filet Mignon|Pork Chops|Flank Steak|Beef Stew Meat|Sirloin Steak|Skirt Steak|Pork Shoulder|Lamb Chops|Tri Tip",
     "Grass Fed|Angus|Boneless|Bone-In|85% Lean|90% Lean|80% Lean|Prime|Choice|Thick Cut|Marinated|Dry Aged"),
    // 123 packaged vegetables fruits
    ("Baby Spinach|Spring Mix|Baby Arugula|Grape Tomatoes|Baby Carrots|Cherry Tomatoes|Power Greens|Romaine Hearts|Shredded Carrots|Baby Kale|Coleslaw Mix|Sugar Snap Peas|Sliced Mushrooms|Broccoli Florets|Green Beans|Baby Bella Mushrooms|Super Greens|Mixed Baby Greens",
     "Triple Washed|Cut & Peeled|Sweet|Tender|Chopped|Baby|Heirloom|Mixed|Petite|Family Size|Trimmed|Italian|+Clamshell|+Bag"),
    // 124 spirits
    ("Vodka|Bourbon Whiskey|Tequila|Gin|Rum|Scotch Whisky|Irish Whiskey|Mezcal|Brandy|Rye Whiskey|Liqueur",
     "Blanco|Reposado|Anejo|Spiced|Silver|Gold|Single Malt|Small Batch|London Dry|Premium|Citrus|Vanilla|Aged"),
    // 125 trail mix snack mix
    ("Trail Mix|Snack Mix|Nut & Fruit Mix|Party Mix|Cranberry Nut Mix|Sweet & Salty Mix",
     "Original|Tropical|Mountain|Omega-3|Dark Chocolate|Antioxidant|Cherry|Deluxe|Sweet & Salty|Salted Caramel|Classic|Bold"),
    // 126 feminine care
    ("Tampons|Pads|Liners|Menstrual Cup|Feminine Wipes|Overnight Pads|Pantiliners",
     "Regular|Super|Super Plus|Light|Organic Cotton|Unscented|Ultra Thin|Maxi|Extra Long|Sport|Compact|Multipack"),
    // 127 body lotions soap
    ("Body Wash|Body Lotion|Body Scrub|Shower Gel|Body Oil|Bar Soap|Bubble Bath",
     "Lavender|Eucalyptus Spearmint|Shea Butter|Coconut|Oatmeal|Moisturizing|Unscented|Vanilla|Aloe|Sensitive|Deep Cleansing|Rose"),
    // 128 tortillas flat bread
    ("Flour Tortillas|Corn Tortillas|Wraps|Naan|Pita|Flatbread|Lavash|Tortillas|Low Carb Tortillas|Taco Size Tortillas",
     "Whole Wheat|Soft Taco|Burrito Size|Spinach|Sprouted|Garlic|Original|Gluten Free|Multigrain|White|Yellow|Street Taco"),
    // 129 frozen appetizers sides
    ("Potstickers|Egg Rolls|Mozzarella Sticks|French Fries|Tater Tots|Onion Rings|Spring Rolls|Dumplings|Sweet Potato Fries|Mini Tacos|Pizza Rolls|Chicken Wings|Garlic Knots|Jalapeno Poppers",
     "Chicken|Pork|Vegetable|Crinkle Cut|Shoestring|Seasoned|Crispy|Steak Cut|Beer Battered|Cheese|Mini|Buffalo|Shrimp|Pork & Ginger"),
    // 130 hot cereal pancake mixes
    ("Oatmeal|Instant Oatmeal|Steel Cut Oats|Pancake Mix|Grits|Cream of Wheat|Waffle Mix|Pancake & Waffle Mix|Porridge|Quick Oats",
     "Original|Maple & Brown Sugar|Buttermilk|Apples & Cinnamon|Protein|Gluten Free|Whole Grain|Old Fashioned|Blueberry|Peaches & Cream|Quick Cooking|Multigrain"),
    // 131 dry pasta
    ("Spaghetti|Penne Rigate|Fusilli|Elbow Macaroni|Rigatoni|Linguine|Farfalle|Angel Hair|Orzo|Lasagna|Rotini|Fettuccine|Shells|Egg Noodles|Bucatini",
     "Whole Wheat|Gluten Free|Chickpea|Red Lentil|Brown Rice|Thin|No. 5|Protein Plus|Durum Wheat|Veggie|Mini|Jumbo|Bronze Cut"),
    // 132 beauty
    ("Nail Polish|Mascara|Lip Gloss|Makeup Sponge|Nail Polish Remover|Eyeliner|Cotton Rounds|Lipstick|Hair Ties|Bobby Pins|Makeup Brush",
     "Waterproof|Matte|Sheer|Nude|Red|Black|Volumizing|Acetone Free|Gentle|Natural|Long Lasting|Clear"),
    // 133 muscles joints pain relief
    ("Ibuprofen Tablets|Acetaminophen|Pain Relief Patches|Muscle Rub|Aspirin|Naproxen Sodium|Pain Relief Gel|Heat Wraps|Glucosamine Chondroitin|Migraine Relief",
     "Extra Strength|Regular Strength|Low Dose|Rapid Release|Arthritis|+Caplets|+Liquid Gels|Maximum Strength|Cooling|8 Hour|Coated|Triple Strength"),
    // 134 specialty wines champagnes
    ("Champagne|Sparkling Wine|Port|Sherry|Cava|Sake|Rose Champagne|Dessert Wine|Vermouth|Cremant",
     "Brut|Extra Dry|Vintage|Reserve|Tawny|Fino|Sweet|Dry|Blanc de Blancs|Rose|Junmai|Imperial"),
];

/// Best sellers of the published data, given the top popularity ranks of
/// their aisle (aisle id, names in rank order).
pub const PINNED: [(u32, &[&str]); 16] = [
    (
        24,
        &[
            "Banana",
            "Bag of Organic Bananas",
            "Organic Strawberries",
            "Organic Hass Avocado",
            "Organic Avocado",
            "Large Lemon",
            "Strawberries",
            "Limes",
            "Organic Raspberries",
            "Organic Blueberries",
            "Organic Fuji Apple",
            "Organic Lemon",
            "Honeycrisp Apple",
            "Organic Gala Apples",
            "Seedless Red Grapes",
        ],
    ),
    (
        123,
        &[
            "Organic Baby Spinach",
            "Organic Grape Tomatoes",
            "Organic Baby Carrots",
            "Organic Baby Arugula",
            "Organic Spring Mix",
            "Organic Peeled Whole Baby Carrots",
        ],
    ),
    (
        83,
        &[
            "Organic Yellow Onion",
            "Organic Garlic",
            "Organic Zucchini",
            "Cucumber Kirby",
            "Organic Cucumber",
            "Yellow Onions",
            "Organic Red Onion",
            "Organic Ginger Root",
            "Asparagus",
            "Organic Red Bell Pepper",
            "Broccoli Crown",
        ],
    ),
    (
        84,
        &[
            "Organic Whole Milk",
            "Organic Reduced Fat Milk",
            "Organic Fat Free Milk",
        ],
    ),
    (
        115,
        &[
            "Sparkling Water Grapefruit",
            "Spring Water",
            "Sparkling Water, Lemon",
            "Lime Sparkling Water",
            "Sparkling Natural Mineral Water",
        ],
    ),
    (
        16,
        &[
            "Organic Cilantro",
            "Organic Italian Parsley Bunch",
            "Fresh Basil",
        ],
    ),
    (
        91,
        &[
            "Unsweetened Almondmilk",
            "Organic Unsweetened Almond Milk",
            "Unsweetened Original Almond Breeze Almond Milk",
        ],
    ),
    (
        86,
        &[
            "Large Alfresco Eggs",
            "Organic Large Brown Grade AA Cage Free Eggs",
        ],
    ),
    (
        53,
        &["Organic Half & Half", "Half And Half Ultra Pasteurized"],
    ),
    (107, &["Lightly Salted Baked Snap Pea Crisps"]),
    (112, &["100% Whole Wheat Bread"]),
    (
        35,
        &[
            "Boneless Skinless Chicken Breasts",
            "Organic Boneless Skinless Chicken Breast",
        ],
    ),
    (
        120,
        &[
            "Total 0% Nonfat Greek Yogurt",
            "Icelandic Style Skyr Blueberry Non-fat Yogurt",
        ],
    ),
    (79, &["Cheddar Cheese 12\" Pizza"]),
    (61, &["Chocolate Sandwich Cookies"]),
    (104, &["All-Seasons Salt"]),
];

/// Inch sizes for aisles whose products are sold by diameter; such names
/// contain a double quote (`Margherita 12" Pizza`).
pub fn inch_sizes(aisle: u32) -> &'static [&'static str] {
    match aisle {
        10 => &["8", "9", "10", "13"],
        79 => &["10", "12", "14", "16"],
        97 => &["6", "8", "9", "10"],
        111 => &["7", "9", "10"],
        128 => &["6", "8", "10", "12"],
        _ => &[],
    }
}

/// Probability that a generated name starts with "Organic", by department.
pub fn organic_share(department: u32) -> f64 {
    match department {
        4 => 0.34,                    // produce
        16 => 0.2,                    // dairy eggs
        18 | 10 => 0.3,               // babies, bulk
        12 => 0.15,                   // meat seafood
        2 | 5 | 8 | 11 | 17 => 0.015, // other, alcohol, pets, personal care, household
        _ => 0.11,
    }
}

/// Pack/size suffixes appropriate for a department.
pub fn suffixes(department: u32) -> &'static [&'static str] {
    match department {
        4 => &[
            "Bag",
            "Bunch",
            "Package",
            "Clamshell",
            "1 lb",
            "2 lb Bag",
            "Pint",
            "Family Pack",
        ],
        7 => &[
            "12 Pack",
            "6 Pack",
            "Mini Cans",
            "Multipack",
            "Bottle",
            "Single Serve",
            "Variety Pack",
        ],
        5 => &[
            "6 Pack",
            "12 Pack",
            "Bottle",
            "Half Bottle",
            "Magnum",
            "Cans",
        ],
        11 | 17 | 18 => &[
            "Refill",
            "Value Pack",
            "Twin Pack",
            "Travel Size",
            "Mega Pack",
            "Bonus Pack",
        ],
        8 => &[
            "Variety Pack",
            "Large Bag",
            "Small Bag",
            "Multipack",
            "Value Size",
        ],
        _ => &[
            "Multipack",
            "Family Size",
            "Snack Packs",
            "Value Pack",
            "Minis",
            "Single Serve",
            "Variety Pack",
            "Bites",
            "Twin Pack",
            "Club Pack",
            "Snack Size",
        ],
    }
}
